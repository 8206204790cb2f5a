// The second build finds both models up to date: it compiles no model, rewrites no generated file,
// and so javac finds nothing to recompile either. (Both builds log to this one build.log.)
def log = new File(basedir, 'build.log').text
def builds = log.split(/(?=\[INFO\] Scanning for projects)/).findAll { it.contains('nnc') }
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"

assert builds[0].contains('nnc: 2 models: 2 generated')
assert builds[1].contains('nnc: 2 models: 2 up to date') : 'the second build compiled a model'
assert !builds[1].contains('nnc: iris.nn ->') && !builds[1].contains('nnc: wine.nn ->') : 'the second build wrote a file'
assert builds[1].contains('Nothing to compile') : 'javac recompiled, so a generated file changed'

// Written before the first build's javac ran, and not since.
['IrisModel', 'WineModel'].each { name ->
  def source = new File(basedir, "target/generated-sources/nnc/demo/${name}.java")
  def compiled = new File(basedir, "target/classes/demo/${name}.class")
  assert source.lastModified() <= compiled.lastModified() : "$source was rewritten after it was compiled"
}
return true
