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
      value = null;
      if (text.strip().startsWith("{")) {
        value = p.dict();
        p.end();
      }
    } catch (IllegalArgumentException e) {
      throw NncDataException.at(source, "malformed .npy header (" + e.getMessage() + "): " + shown(text));
    }
    if (!(value instanceof Map<?, ?> dict)) {
      throw NncDataException.at(source, "malformed .npy header (not a dictionary): " + shown(text));
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw NncDataException.at(source, "the .npy header's 'descr' is missing or not a simple dtype: " + shown(text));
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw NncDataException.at(source, "the .npy header's 'fortran_order' is missing: " + shown(text));
    }
    if (!(dict.get("shape") instanceof List<?> dims)) {
      throw NncDataException.at(source, "the .npy header's 'shape' is missing or not a tuple: " + shown(text));
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
        throw NncDataException.at(source, "the .npy header's shape has a bad dimension: " + shown(text));
      }
      shape[i] = d.intValue();
    }
    return new NpyHeader(descr, fortran, shape);
  }

  /** The header as a message shows it: on one line, control characters escaped, cut after 200 characters. */
  private static String shown(String text) {
    String strip = text.strip();
    StringBuilder out = new StringBuilder();
    strip.codePoints().limit(200).forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) out.append(String.format("\\u%04x", c));
      else out.appendCodePoint(c);
    });
    return strip.length() > 200 ? out + "..." : out.toString();
  }

  /**
   * Just enough of Python's literal syntax for NumPy headers: one dict whose values are strings,
   * booleans, ints or tuples of ints. Nothing nests further, so the parser needs no recursion and
   * no header, however deep its brackets, can exhaust the stack.
   */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    /** A dict value: a tuple of ints or a scalar. */
    Object value() {
      skipSpace();
      if (i < s.length() && s.charAt(i) == '(') return tuple();
      return scalar();
    }

    /** A string, a boolean or an int. */
    private Object scalar() {
      skipSpace();
      if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
      char c = s.charAt(i);
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

    Map<String, Object> dict() {
      Map<String, Object> map = new LinkedHashMap<>();
      expect('{');
      while (!peek('}')) {
        Object key = scalar();
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
        Object item = scalar();
        if (!(item instanceof Long)) throw new IllegalArgumentException("a tuple item that is not an integer");
        items.add(item);
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
