package dev.nnc.compiler.ast;

/** An identifier as written ({@code relu}, {@code learning_rate}, {@code true}). */
public record Name(String text, Position position) implements Value {}
