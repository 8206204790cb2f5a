package dev.nnc.compiler.ast;

import java.util.List;

/**
 * A parsed source file: its top-level items in source order. After syntax errors it is partial:
 * statements that did not parse are kept as {@link Statement.Erroneous}.
 */
public record ModelFile(List<Item> items) {
  public ModelFile {
    items = List.copyOf(items);
  }
}
