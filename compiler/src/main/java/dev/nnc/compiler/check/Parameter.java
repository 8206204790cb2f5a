package dev.nnc.compiler.check;

import java.util.List;

/**
 * A named argument a statement accepts: its name, accepted aliases (Keras' spellings) and former
 * names that are no longer accepted but deserve a pointer ({@code lr}, removed in Keras 3).
 */
record Parameter(String name, List<String> aliases, List<String> formerNames) {
  static Parameter named(String name) {
    return new Parameter(name, List.of(), List.of());
  }

  Parameter withAliases(String... more) {
    return new Parameter(name, List.of(more), formerNames);
  }

  Parameter withFormerNames(String... more) {
    return new Parameter(name, aliases, List.of(more));
  }

  boolean accepts(String spelling) {
    return name.equals(spelling) || aliases.contains(spelling);
  }
}
