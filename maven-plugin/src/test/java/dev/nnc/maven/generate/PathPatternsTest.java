package dev.nnc.maven.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternsTest {

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "**/*.nn,       mnist.nn,             true",  // the default also takes top-level models
    "**/*.nn,       com/acme/mnist.nn,    true",
    "**/*.nn,       mnist.nnx,            false",
    "*.nn,          mnist.nn,             true",
    "*.nn,          com/mnist.nn,         false", // '*' stays in one folder
    "drafts/**,     drafts/a/b.nn,        true",
    "drafts/,       drafts/b.nn,          true",  // a trailing slash means the whole folder
    "**/draft-*.nn, x/draft-1.nn,         true",
    "**/draft-*.nn, x/final.nn,           false",
    "m?.nn,         m1.nn,                true",
    "m?.nn,         m12.nn,               false",
    "a/**/b.nn,     a/b.nn,               true",
    "a/**/b.nn,     a/x/y/b.nn,           true",
    "a.b/*.nn,      axb/m.nn,             false", // '.' is literal
  })
  void matchesLikeMaven(String pattern, String path, boolean expected) {
    assertEquals(expected, PathPatterns.of(List.of(pattern)).matches(path));
  }
}
