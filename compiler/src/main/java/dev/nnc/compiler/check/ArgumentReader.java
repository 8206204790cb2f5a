package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Argument;
import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.NumberLiteral;
import dev.nnc.compiler.ast.Value;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.Suggestions;
import dev.nnc.compiler.diag.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads named arguments ({@code (learning_rate = 1e-3)}, {@code batch 128}) against the parameters
 * a statement accepts. Unknown and repeated names are reported when the reader is made; each typed
 * getter then reports a value of the wrong type or out of range and falls back to the default, so
 * every problem is reported once and checking goes on.
 */
final class ArgumentReader {
  private final Reporter reporter;
  private final Map<String, Argument> byParameter = new HashMap<>();

  /**
   * @param noun what an argument is called in messages ("argument", "setting")
   * @param owner what the arguments belong to ("optimizer 'adam'", "'dense'")
   */
  ArgumentReader(Reporter reporter, String noun, String owner, List<Argument> given, List<Parameter> parameters) {
    this.reporter = reporter;
    for (Argument argument : given) {
      Name key = argument.key();
      Optional<Parameter> parameter = parameters.stream().filter(p -> p.accepts(key.text())).findFirst();
      if (parameter.isEmpty()) {
        reporter.error(key.position(), DiagnosticIds.UNKNOWN_ARGUMENT,
            "unknown " + noun + " " + Texts.quoted(key.text()) + " for " + owner + unknownHint(key.text(), parameters));
        continue;
      }
      Argument earlier = byParameter.putIfAbsent(parameter.get().name(), argument);
      if (earlier != null) {
        String alias = earlier.key().text().equals(key.text()) ? "" : " (already given as '" + earlier.key().text() + "')";
        reporter.error(key.position(), DiagnosticIds.DUPLICATE_ARGUMENT,
            "duplicate " + noun + " " + Texts.quoted(key.text()) + alias);
      }
    }
  }

  private static String unknownHint(String word, List<Parameter> parameters) {
    for (Parameter parameter : parameters) {
      if (parameter.formerNames().contains(word)) return " (did you mean '" + parameter.name() + "'?)";
    }
    List<String> spellings = new ArrayList<>();
    for (Parameter parameter : parameters) {
      spellings.add(parameter.name());
      spellings.addAll(parameter.aliases());
    }
    return Suggestions.closest(word, spellings)
        .map(s -> " (did you mean '" + s + "'?)")
        .orElseGet(() -> "; expected one of " + NameTable.quoted(parameters.stream().map(Parameter::name).toList()));
  }

  /** A real number in {@code range}. */
  double real(String parameter, double fallback, Range range) {
    return number(parameter)
        .map(a -> Literals.real((NumberLiteral) a.value(), a.key().text(), range, reporter).orElse(fallback))
        .orElse(fallback);
  }

  /** A whole number in [min, max]. */
  long whole(String parameter, long fallback, long min, long max) {
    return number(parameter)
        .map(a -> Literals.whole((NumberLiteral) a.value(), a.key().text(), min, max, reporter).orElse(fallback))
        .orElse(fallback);
  }

  /** {@code true} or {@code false}. */
  boolean bool(String parameter, boolean fallback) {
    Argument argument = byParameter.get(parameter);
    if (argument == null) return fallback;
    String text = argument.value().text();
    if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
    wrongType(argument, "true or false", Suggestions.didYouMean(text, List.of("true", "false")));
    return fallback;
  }

  /** A name from {@code table} ({@code he_normal}). */
  <T> T name(String parameter, T fallback, NameTable<T> table, String expected) {
    return byParameter.containsKey(parameter) ? resolvedName(parameter, table, expected).orElse(fallback) : fallback;
  }

  /** The name from {@code table} given for {@code parameter}; empty when it is not given or was reported. */
  <T> Optional<T> resolvedName(String parameter, NameTable<T> table, String expected) {
    Argument argument = byParameter.get(parameter);
    if (argument == null) return Optional.empty();
    if (argument.value() instanceof Name name) return table.resolve(name, reporter);
    wrongType(argument, expected, "");
    return Optional.empty();
  }

  /** The argument given for {@code parameter} (under its name or an alias), if any. */
  Optional<Argument> given(String parameter) {
    return Optional.ofNullable(byParameter.get(parameter));
  }

  /** The argument for {@code parameter} when it is given and its value is a number. */
  private Optional<Argument> number(String parameter) {
    Argument argument = byParameter.get(parameter);
    if (argument == null) return Optional.empty();
    if (argument.value() instanceof NumberLiteral) return Optional.of(argument);
    wrongType(argument, "a number", "");
    return Optional.empty();
  }

  private void wrongType(Argument argument, String expected, String hint) {
    Value value = argument.value();
    reporter.error(value.position(), DiagnosticIds.WRONG_VALUE_TYPE,
        Texts.shown(argument.key().text()) + " must be " + expected + ", got " + Texts.quoted(value.text()) + hint);
  }
}
