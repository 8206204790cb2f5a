package dev.nnc.compiler.ast;

/** A literal as written: a number or a name. The checker decides what it means. */
public sealed interface Value permits Name, NumberLiteral {
  String text();

  Position position();
}
