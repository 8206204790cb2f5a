package dev.nnc.maven.generate;

import dev.nnc.compiler.NncCompiler;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** The identity of the code generator, recorded in the state so that a new nnc regenerates every model. */
public final class GeneratorVersion {
  private GeneratorVersion() {}

  /**
   * The plugin's version; for a SNAPSHOT also the time and size of the compiler's jar, because a
   * SNAPSHOT changes without changing its version (in nnc's own reactor, every build).
   */
  public static String of(String pluginVersion) {
    if (pluginVersion == null || !pluginVersion.endsWith("-SNAPSHOT")) {
      return String.valueOf(pluginVersion);
    }
    return pluginVersion + "@" + stamp(NncCompiler.class) + "," + stamp(GeneratorVersion.class);
  }

  private static String stamp(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null) return "?";
      Path location = Path.of(source.getLocation().toURI());
      return Files.getLastModifiedTime(location).toMillis() + ":" + (Files.isRegularFile(location) ? Files.size(location) : 0);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "?";
    }
  }
}
