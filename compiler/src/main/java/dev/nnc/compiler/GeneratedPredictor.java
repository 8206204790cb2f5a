package dev.nnc.compiler;

/**
 * A predictor class and the weights resource it loads: the Java source, and the bytes that go
 * beside its class file ({@code dev/example/MnistPredictor.weights}), whose SHA-256 the class holds.
 */
public record GeneratedPredictor(GeneratedSource source, String resourceName, byte[] weights) {

  public GeneratedPredictor {
    weights = weights.clone();
  }

  @Override
  public byte[] weights() {
    return weights.clone();
  }

  /** Where the resource goes below a resource (or class) root: beside the class. */
  public String resourcePath() {
    String packageName = source.packageName();
    return (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + resourceName;
  }
}
