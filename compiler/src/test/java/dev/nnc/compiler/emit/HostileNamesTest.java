package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model's file name reaches the comments and javadoc of its class. Each name below tries to end
 * the comment it stands in (a line terminator, {@code *}{@code /}, a {@code \}{@code u} escape that
 * javac decodes before it looks for comments) and put a call in the class. Each must compile
 * without a warning, and its class files must hold no trace of the payload.
 */
class HostileNamesTest {
  /** A string that appears in a class file only if the payload became code. */
  static final String PAYLOAD = "PWNED_BY_FILE_NAME";

  static final String CALL = "System.setProperty(\"" + PAYLOAD + "\", \"" + PAYLOAD + "\");";

  static Stream<String> hostileFileNames() {
    return Stream.of(
        "a\n" + CALL + "//.nn",
        "a\r" + CALL + "//.nn",
        "a\r\n" + CALL + "//.nn",
        "a\u2028" + CALL + "//.nn",
        "a\\u000a" + CALL + "//.nn",
        "a\\u000d" + CALL + "//.nn",
        "a\\uu000A" + CALL + "//.nn",
        "a\\\\u000a" + CALL + "//.nn",
        "a\\\\\\u000a" + CALL + "//.nn",
        "a*/ " + CALL + " /*.nn",
        "a\\u002a\\u002f " + CALL + " /*.nn",
        "a*\\u002f " + CALL + " /*.nn",
        "}} {@code */ " + CALL + " /* @return x.nn",
        "a\u0000\u001b[31m\u202e" + CALL + ".nn",
        "$L $S $T $N $$ " + CALL + ".nn",
        "\"" + CALL + "\".nn",
        "caf\u00e9 \ud83d\ude00 \ud800 " + CALL + ".nn");
  }

  @ParameterizedTest
  @MethodSource("hostileFileNames")
  void aFileNameNeverBecomesCode(String fileName) {
    for (Kernels kernels : Kernels.values()) {
      GeneratedSource source = GeneratedModels.compile(fileName, "model Hostile { input 3; dense 2 softmax; loss sparse_ce; }",
          kernels).generated().orElseThrow();
      assertTrue(source.code().chars().allMatch(c -> c < 128), "ASCII only");
      assertFalse(source.code().contains("\\u"), "no unicode escape for javac to decode");
      Map<String, byte[]> classes = GeneratedModels.classBytes(GeneratedModels.javac(source));
      assertFalse(classes.isEmpty());
      classes.forEach((name, bytes) -> assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(PAYLOAD),
          name + " holds the payload of " + fileName));
    }
  }

  @Test
  void commentTextKeepsPlainNamesAndPercentEncodesTheRest() {
    assertEquals("mnist.nn", SourceText.comment("mnist.nn"));
    assertEquals("my model-v2_(final).nn", SourceText.comment("my model-v2_(final).nn"));
    assertEquals("a%0Ab%5Cu000a%25%7B%40code%7D%2A/", SourceText.comment("a\nb\\u000a%{@code}*/"));
    assertEquals("caf%C3%A9 %F0%9F%98%80 %3F", SourceText.comment("caf\u00e9 \ud83d\ude00 \ud800"));
    for (String name : List.of("*/", "**/", "\\", "\u2028")) {
      String shown = SourceText.comment(name);
      assertFalse(shown.contains("*/") || shown.contains("\\") || shown.chars().anyMatch(c -> c < 0x20 || c >= 0x7F), shown);
    }
  }
}
