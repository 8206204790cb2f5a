package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.diag.Suggestions;
import dev.nnc.compiler.diag.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The names one kind of thing accepts (activations, losses, ...), each with its aliases, and the
 * one way to resolve a written name: the value, or an "unknown ..." diagnostic with a suggestion.
 */
final class NameTable<T> {
  private final String kind;
  private final String id;
  private final Map<String, T> bySpelling = new LinkedHashMap<>();
  private final List<String> canonicalNames = new ArrayList<>();

  NameTable(String kind, String id) {
    this.kind = kind;
    this.id = id;
  }

  /** Adds a value under its canonical name and any aliases. */
  NameTable<T> add(T value, String canonical, String... aliases) {
    canonicalNames.add(canonical);
    bySpelling.put(canonical, value);
    for (String alias : aliases) bySpelling.put(alias, value);
    return this;
  }

  /** The canonical names, in the order they were added. */
  List<String> names() {
    return List.copyOf(canonicalNames);
  }

  Optional<T> lookup(String spelling) {
    return Optional.ofNullable(bySpelling.get(spelling));
  }

  /** The value {@code name} spells, or empty after reporting "unknown KIND 'name'" with a hint. */
  Optional<T> resolve(Name name, Reporter reporter) {
    Optional<T> value = lookup(name.text());
    if (value.isEmpty()) {
      reporter.error(name.position(), id, "unknown " + kind + " " + Texts.quoted(name.text()) + hint(name.text()));
    }
    return value;
  }

  /** " (did you mean 'x'?)" when a spelling is close, else "; expected one of 'a', 'b'". */
  String hint(String word) {
    return Suggestions.closest(word, bySpelling.keySet())
        .map(s -> " (did you mean '" + s + "'?)")
        .orElseGet(() -> "; expected one of " + quoted(canonicalNames));
  }

  static String quoted(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
  }
}
