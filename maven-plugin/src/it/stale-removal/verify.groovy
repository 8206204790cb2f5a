// After extra/wine.nn is deleted, the next build removes its generated WineModel.java (and the
// package folder it leaves empty); javac then drops the class too. The other model stays.
assert !new File(basedir, 'src/main/nn/extra/wine.nn').exists() : 'the second build should have deleted the model'

def gen = new File(basedir, 'target/generated-sources/nnc')
assert !new File(gen, 'extra/WineModel.java').exists() : 'stale generated source left behind'
assert !new File(gen, 'extra').exists() : 'empty package folder left behind'
assert new File(gen, 'demo/IrisModel.java').isFile()
assert !new File(basedir, 'target/classes/extra/WineModel.class').exists() : 'stale class left behind'

def log = new File(basedir, 'build.log').text
assert log =~ /nnc: removed .*WineModel\.java/
assert log.contains('nnc: 1 model: 1 up to date')
return true
