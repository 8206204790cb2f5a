// The predictor goal wrote IrisPredictor.java (a compile source root: compiled with the project's code)
// and its weights resource (a resource root: copied beside the class), and the class predicts what
// numpy computes from the same weights, here in Maven's JVM, which has no Vector API module.
def source = new File(basedir, 'target/generated-sources/nnc-predictor/demo/IrisPredictor.java')
assert source.isFile() : "missing $source"
assert source.text.contains('generated from iris.nn by nnc')
def classes = new File(basedir, 'target/classes')
assert new File(classes, 'demo/app/Classify.class').isFile()
def resource = new File(classes, 'demo/IrisPredictor.weights')
assert resource.isFile() : "the weights resource was not copied beside the class"
assert resource.length() == (4 * 8 + 8 + 8 * 3 + 3) * 4

def log = new File(basedir, 'build.log').text
assert log.contains('nnc: iris.nn + iris.npz -> demo.IrisPredictor')

def loader = new URLClassLoader([classes.toURI().toURL()] as URL[], (ClassLoader) null)
def type = loader.loadClass('demo.IrisPredictor')
def predictor = type.getConstructor().newInstance()
assert type.getField('INPUT_SIZE').get(null) == 4 && type.getField('OUTPUT_SIZE').get(null) == 3
assert !type.getMethod('usesVectorKernels').invoke(null)
float[] x = [0f, 0f, 6f, 2.5f]
float[] p = predictor.predict(x)
double[] numpy = [0.002697926014661789, 0.9748508334159851, 0.02245120331645012]
(0..2).each { assert Math.abs(p[it] - numpy[it]) < 1e-6 : "output $it: ${p[it]}, numpy ${numpy[it]}" }
assert loader.loadClass('demo.app.Classify').species(5.1f, 3.5f, 1.4f, 0.2f) == 1
return true
