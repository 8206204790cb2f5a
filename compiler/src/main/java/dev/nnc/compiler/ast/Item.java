package dev.nnc.compiler.ast;

/** What a file holds at top level: a model block or a bare statement. */
public sealed interface Item permits ModelBlock, Statement {
  /** Where the item starts: its first keyword. */
  Position position();
}
