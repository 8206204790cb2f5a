package dev.nnc.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code nnc --version}: the Maven project version, written into a resource at build time. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
        "nnc " + NncVersion.get(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
  }
}
