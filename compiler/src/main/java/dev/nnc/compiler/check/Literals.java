package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.NumberLiteral;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.Texts;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads number literals as the values a statement needs, reporting what is wrong otherwise.
 * {@code what} names the value in messages ({@code "units"}, {@code "learning_rate"}).
 */
final class Literals {
  private Literals() {}

  /** The most elements a Java array can hold on common JVMs. */
  static final long MAX_ARRAY_LENGTH = dev.nnc.compiler.model.Shapes.MAX_ARRAY_LENGTH;

  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

  /** A whole number in [min, max]; anything else is reported and gives empty. */
  static OptionalLong whole(NumberLiteral literal, String what, long min, long max, Reporter reporter) {
    String text = literal.text();
    if (!WHOLE_NUMBER.matcher(text).matches()) {
      reporter.error(literal.position(), DiagnosticIds.WRONG_VALUE_TYPE,
          what + " must be a whole number, got " + Texts.quoted(text));
      return OptionalLong.empty();
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException tooManyDigits) {
      // Beyond a long: reported as out of range, never clamped to the nearest long.
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE, text.startsWith("-")
          ? what + " must be at least " + min + ", got " + Texts.quoted(text)
          : what + " " + Texts.quoted(text) + " is too large (at most " + max + ")");
      return OptionalLong.empty();
    }
    if (value > max) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " " + Texts.quoted(text) + " is too large (at most " + max + ")");
      return OptionalLong.empty();
    }
    if (value < min) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " must be at least " + min + ", got " + Texts.quoted(text));
      return OptionalLong.empty();
    }
    return OptionalLong.of(value);
  }

  /** A size (units, a dimension): a whole number from 1 to what a Java array can hold. */
  static OptionalLong size(NumberLiteral literal, String what, Reporter reporter) {
    return whole(literal, what, 1, MAX_ARRAY_LENGTH, reporter);
  }

  /** A finite real number within {@code range}; anything else is reported and gives empty. */
  static OptionalDouble real(NumberLiteral literal, String what, Range range, Reporter reporter) {
    double value = Double.parseDouble(literal.text()); // the lexer only makes valid Java literals
    if (Double.isInfinite(value)) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " " + Texts.quoted(literal.text()) + " is too large");
      return OptionalDouble.empty();
    }
    if (!range.contains(value)) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " must be " + range.description() + ", got " + Texts.quoted(literal.text()));
      return OptionalDouble.empty();
    }
    // The generated code computes in float32: a value it cannot hold as written is refused, not
    // silently made infinite, 0 or imprecise (subnormal floats keep fewer than 24 bits).
    float asFloat = (float) value;
    if (Float.isInfinite(asFloat)) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " " + Texts.quoted(literal.text()) + " is too large for a float (at most " + Float.MAX_VALUE + ")");
      return OptionalDouble.empty();
    }
    if (value != 0 && Math.abs(asFloat) < Float.MIN_NORMAL) {
      reporter.error(literal.position(), DiagnosticIds.VALUE_OUT_OF_RANGE,
          what + " " + Texts.quoted(literal.text()) + " is too small for a float: it would become "
              + (asFloat == 0 ? "0" : "imprecise") + " (the smallest is " + Float.MIN_NORMAL + ")");
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(value);
  }
}
