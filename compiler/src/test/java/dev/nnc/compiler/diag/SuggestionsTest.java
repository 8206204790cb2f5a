package dev.nnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
  private static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh", "softmax", "linear");

  @ParameterizedTest
  @CsvSource({
      "rellu, relu",     // insertion
      "rel, relu",       // deletion
      "relo, relu",      // substitution
      "tnah, tanh",      // transposition
      "sigmod, sigmoid",
      "soft_max, softmax",
      "SoftMax, softmax", // case alone
      "LINEAR, linear"})
  void suggestsTheClosePlausibleName(String word, String expected) {
    assertEquals(Optional.of(expected), Suggestions.closest(word, ACTIVATIONS));
  }

  @ParameterizedTest
  @CsvSource({"swish", "mish", "leaky", "x", "relu_relu_relu"})
  void staysQuietWhenNothingIsClose(String word) {
    assertEquals(Optional.empty(), Suggestions.closest(word, ACTIVATIONS));
  }

  @ParameterizedTest
  @CsvSource({"abc, abc, 0", "abc, acb, 1", "abc, ab, 1", "kitten, sitting, 3", "ca, abc, 3"})
  void optimalStringAlignmentDistance(String a, String b, int expected) {
    assertEquals(expected, Suggestions.distance(a, b, 10));
  }

  @ParameterizedTest
  @CsvSource({"a, abcdefgh, 2, 3"})
  void distanceStopsEarlyPastTheLimit(String a, String b, int limit, int expected) {
    assertEquals(expected, Suggestions.distance(a, b, limit));
  }
}
