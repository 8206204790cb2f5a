// Two models in two packages: both generated below target/generated-sources/nnc, compiled with the
// project's own code, and the generated class really trains against nnc-runtime.
def gen = new File(basedir, 'target/generated-sources/nnc')
def iris = new File(gen, 'com/example/iris/IrisModel.java')
def xor = new File(gen, 'com/example/xor/XorModel.java')
assert iris.isFile() : "missing $iris"
assert xor.isFile() : "missing $xor"
assert iris.text.contains('package com.example.iris;')
assert iris.text.contains('iris.nn') : 'the file comment names its model'

def classes = new File(basedir, 'target/classes')
['com/example/iris/IrisModel.class', 'com/example/xor/XorModel.class', 'com/example/app/Models.class'].each {
  assert new File(classes, it).isFile() : "not compiled: $it"
}

def log = new File(basedir, 'build.log').text
assert log.contains('nnc: 2 models: 2 generated')

// One training step of the generated Iris model on a tiny batch, through the runtime's interface.
def runtime = new File(localRepositoryPath, "dev/nnc/nnc-runtime/${nncVersion}/nnc-runtime-${nncVersion}.jar")
assert runtime.isFile() : "missing $runtime"
def loader = new URLClassLoader([classes.toURI().toURL(), runtime.toURI().toURL()] as URL[], (ClassLoader) null)
def model = loader.loadClass('com.example.iris.IrisModel').getConstructor().newInstance()
assert model.inputSize() == 4 && model.outputSize() == 3
float[] x = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f]
float[] y = [0f, 2f]
float loss = model.trainStep(x, y, 2)
assert loss > 0f && !Float.isNaN(loss) : "loss $loss"
return true
