package dev.nnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code nnc --version}: the Maven project version, written into a resource at build time. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) properties.load(in);
    }
    return new String[] {
        "nnc " + version(properties.getProperty("version")),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
  }

  /** An unfiltered resource (a build outside Maven) still holds the placeholder, which picocli would try to expand. */
  private static String version(String filtered) {
    return filtered == null || filtered.contains("${") ? "(development build)" : filtered;
  }
}
