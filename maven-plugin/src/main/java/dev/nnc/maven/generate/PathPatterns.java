package dev.nnc.maven.generate;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Maven-style {@code <includes>}/{@code <excludes>} patterns over '/'-separated relative paths:
 * {@code *} and {@code ?} stay within one folder, {@code **} spans folders, and a {@code **}{@code /}
 * prefix also matches no folder at all.
 *
 * <p>Why not {@link java.nio.file.FileSystem#getPathMatcher} globs: there {@code **}{@code /*.nn} does
 * not match a top-level {@code mnist.nn}, which surprises everyone used to Ant, Maven and Gradle.
 */
final class PathPatterns {
  private final List<Pattern> patterns;

  private PathPatterns(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  static PathPatterns of(List<String> patterns) {
    return new PathPatterns(patterns.stream().map(PathPatterns::compile).toList());
  }

  boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Whether any pattern matches the '/'-separated relative path. */
  boolean matches(String relativePath) {
    return patterns.stream().anyMatch(p -> p.matcher(relativePath).matches());
  }

  static Pattern compile(String pattern) {
    String p = pattern.trim().replace('\\', '/');
    if (p.endsWith("/")) {
      p += "**"; // Ant: a trailing slash means everything below the folder
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (p.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 2;
      } else if (p.startsWith("**", i)) {
        regex.append(".*");
        i += 1;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
