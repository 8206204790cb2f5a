// A misspelled activation on line 2 fails the build with exactly one [ERROR] line for it, naming the
// file, line 2 and the column, and Maven prints no stack trace.
def log = new File(basedir, 'build.log').text
def lines = log.readLines()

def problems = lines.findAll { it.contains('bad.nn:') }
assert problems.size() == 1 : "expected one line about bad.nn, got:\n${problems.join('\n')}"
assert problems[0] ==~ /\[ERROR\] .*[\\\/]src[\\\/]main[\\\/]nn[\\\/]demo[\\\/]bad\.nn:2:\d+: error: .*rleu.*/ : problems[0]

assert log.contains('BUILD FAILURE')
assert !lines.any { it.startsWith('\tat ') || it.trim().startsWith('at org.') || it.trim().startsWith('at java.') } : 'stack trace in the log'
assert !log.contains('Exception:') && !log.contains('Caused by') : 'an exception was printed'

def gen = new File(basedir, 'target/generated-sources/nnc/demo')
assert !new File(gen, 'BadModel.java').exists() : 'a bad model must not leave a generated file'
assert new File(gen, 'GoodModel.java').isFile() : 'the good model is still generated'
return true
