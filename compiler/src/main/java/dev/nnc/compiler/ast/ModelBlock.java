package dev.nnc.compiler.ast;

import java.util.List;
import java.util.Optional;

/**
 * {@code model Name { statements }}; {@code position} is that of the {@code model} keyword. The
 * name is empty only after a syntax error (already reported).
 */
public record ModelBlock(Position position, Optional<Name> name, List<Statement> statements) implements Item {
  public ModelBlock {
    statements = List.copyOf(statements);
  }
}
