// No weights yet: the build fails with one line that names the file and says what to do, no stack trace.
def log = new File(basedir, 'build.log').text
assert log.contains('iris-weights.npz do not exist: train iris.nn and save its weights there first') : log
def lines = log.readLines()
assert !lines.any { it.startsWith('\tat ') || it.trim().startsWith('at org.') } : 'stack trace in the log'
assert !log.contains('Exception:') && !log.contains('Caused by') : 'an exception was printed'
assert !new File(basedir, 'target/generated-sources/nnc-predictor').exists()
return true
