package dev.nnc.compiler.ast;

/** A number as written ({@code 512}, {@code -5}, {@code 1e-3}); the checker parses and range-checks it. */
public record NumberLiteral(String text, Position position) implements Value {}
