package dev.nnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** nnc's version, from the resource that the build fills in. */
final class NncVersion {
  private NncVersion() {}

  private static final String VERSION = read();

  /** The Maven project version ({@code 0.1.0-SNAPSHOT}), or {@code (development build)} outside a Maven build. */
  static String get() {
    return VERSION;
  }

  private static String read() {
    Properties properties = new Properties();
    try (InputStream in = NncVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String filtered = properties.getProperty("version");
    // An unfiltered resource (a build outside Maven) still holds the placeholder, which picocli would try to expand.
    return filtered == null || filtered.contains("${") ? "(development build)" : filtered;
  }
}
