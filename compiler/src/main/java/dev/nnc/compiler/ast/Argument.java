package dev.nnc.compiler.ast;

/** {@code key = value} in an argument list, or {@code key value} in a train statement. */
public record Argument(Name key, Value value) {}
