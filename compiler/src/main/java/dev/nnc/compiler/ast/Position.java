package dev.nnc.compiler.ast;

/** A place in the source: 1-based line and 1-based column (in characters, a tab counts as one). */
public record Position(int line, int column) implements Comparable<Position> {
  public static final Position START = new Position(1, 1);

  /** The position {@code offset} characters to the right on the same line. */
  public Position plusColumns(int offset) {
    return new Position(line, column + offset);
  }

  @Override
  public int compareTo(Position other) {
    return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
  }
}
