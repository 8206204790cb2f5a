package dev.nnc.compiler;

/** One generated Java compilation unit. */
public record GeneratedSource(String packageName, String simpleName, String code) {

  public String qualifiedName() {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }

  /** Where the file goes below a source root: {@code dev/example/MnistModel.java}. */
  public String relativePath() {
    return (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + simpleName + ".java";
  }
}
