package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of a {@code .npy} file, a Python literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}: parsed from and formatted as
 * NumPy writes it.
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {

  /** Formats the dictionary exactly as {@code numpy.lib.format} does (keys sorted, trailing comma). */
  String format() {
    StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]);
      if (i + 1 < shape.length) s.append(", ");
    }
    if (shape.length == 1) s.append(',');
    s.append("), }");
    return s.toString();
  }

  /** Parses a header dictionary; {@code source} names the file in messages. */
  static NpyHeader parse(String text, String source) {
    Object value;
    try {
      Parser p = new Parser(text);
      value = p.value();
      p.end();
    } catch (IllegalArgumentException e) {
      throw NncDataException.at(source, "malformed .npy header (" + e.getMessage() + "): " + text.strip());
    }
    if (!(value instanceof Map<?, ?> dict)) {
      throw NncDataException.at(source, "malformed .npy header (not a dictionary): " + text.strip());
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw NncDataException.at(source, "the .npy header's 'descr' is missing or not a simple dtype: " + text.strip());
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw NncDataException.at(source, "the .npy header's 'fortran_order' is missing: " + text.strip());
    }
    if (!(dict.get("shape") instanceof List<?> dims)) {
      throw NncDataException.at(source, "the .npy header's 'shape' is missing or not a tuple: " + text.strip());
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
        throw NncDataException.at(source, "the .npy header's shape has a bad dimension: " + text.strip());
      }
      shape[i] = d.intValue();
    }
    return new NpyHeader(descr, fortran, shape);
  }

  /** Just enough of Python's literal syntax for NumPy headers: dicts, strings, booleans, ints, tuples. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Object value() {
      skipSpace();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
      char c = s.charAt(i);
      if (c == '{') return dict();
      if (c == '(') return tuple();
      if (c == '\'' || c == '"') return string();
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (Character.isDigit(c)) return integer();
      throw new IllegalArgumentException("unexpected '" + c + "' at column " + (i + 1));
    }

    private Map<String, Object> dict() {
      Map<String, Object> map = new LinkedHashMap<>();
      i++; // {
      while (!peek('}')) {
        Object key = value();
        if (!(key instanceof String k)) throw new IllegalArgumentException("a key that is not a string");
        expect(':');
        map.put(k, value());
        if (!peek('}')) expect(',');
      }
      i++; // }
      return map;
    }

    private List<Object> tuple() {
      List<Object> items = new ArrayList<>();
      i++; // (
      while (!peek(')')) {
        items.add(value());
        if (!peek(')')) expect(',');
      }
      i++; // )
      return items;
    }

    private String string() {
      char quote = s.charAt(i++);
      int start = i;
      while (i < s.length() && s.charAt(i) != quote) i++;
      if (i >= s.length()) throw new IllegalArgumentException("unterminated string");
      return s.substring(start, i++);
    }

    private Long integer() {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 longs, in old files
      try {
        return Long.parseLong(s.substring(start, i).replace("L", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("number too large");
      }
    }

    private boolean peek(char c) {
      skipSpace();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
      return s.charAt(i) == c;
    }

    private void expect(char c) {
      if (!peek(c)) throw new IllegalArgumentException("expected '" + c + "' at column " + (i + 1));
      i++;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    void end() {
      skipSpace();
      if (i != s.length()) throw new IllegalArgumentException("text after the dictionary");
    }
  }
}
