package dev.nnc.cli;

import dev.nnc.runtime.LearningRateSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --lr-schedule NAME(key=value, ...)}: a {@code keras.optimizers.schedules} schedule with
 * Keras' names and arguments; lists are written {@code [a, b]}.
 */
final class ScheduleOption {
  private ScheduleOption() {}

  /** The result of parsing: a schedule, or what is wrong, to follow the flag's name in a message. */
  record Parsed(LearningRateSchedule schedule, String problem) {
    LearningRateSchedule orElseThrow(java.util.function.Function<String, RuntimeException> error) {
      if (problem != null) throw error.apply(problem);
      return schedule;
    }
  }

  static Parsed parse(String text, double optimizerRate) {
    try {
      return new Parsed(build(text.trim(), optimizerRate), null);
    } catch (IllegalArgumentException e) {
      return new Parsed(null, "'" + text + "': " + e.getMessage());
    }
  }

  private static LearningRateSchedule build(String text, double optimizerRate) {
    int open = text.indexOf('(');
    if (open < 0 || !text.endsWith(")")) {
      throw new IllegalArgumentException("write NAME(key=value, ...), e.g. exponential_decay(decay_steps=1000, decay_rate=0.96)");
    }
    String name = text.substring(0, open).trim();
    Map<String, String> args = arguments(text.substring(open + 1, text.length() - 1));
    double initial = args.containsKey("initial_learning_rate") ? real(args, "initial_learning_rate") : optimizerRate;
    switch (name) {
      case "exponential_decay" -> {
        allow(args, Set.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase"));
        return LearningRateSchedule.exponentialDecay(initial, whole(args, "decay_steps"), real(args, "decay_rate"),
            args.containsKey("staircase") && bool(args, "staircase"));
      }
      case "piecewise_constant_decay" -> {
        allow(args, Set.of("boundaries", "values"));
        List<String> b = list(args, "boundaries");
        List<String> v = list(args, "values");
        long[] boundaries = b.stream().mapToLong(ScheduleOption::wholeValue).toArray();
        double[] values = v.stream().mapToDouble(ScheduleOption::realValue).toArray();
        return LearningRateSchedule.piecewiseConstantDecay(boundaries, values);
      }
      case "cosine_decay" -> {
        allow(args, Set.of("initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps"));
        boolean warmup = args.containsKey("warmup_target") || args.containsKey("warmup_steps");
        if (warmup && !(args.containsKey("warmup_target") && args.containsKey("warmup_steps"))) {
          throw new IllegalArgumentException("warmup_target and warmup_steps go together");
        }
        return LearningRateSchedule.cosineDecay(initial, whole(args, "decay_steps"),
            args.containsKey("alpha") ? real(args, "alpha") : 0,
            warmup ? real(args, "warmup_target") : Double.NaN, warmup ? whole(args, "warmup_steps") : 0);
      }
      default -> throw new IllegalArgumentException("unknown schedule '" + name
          + "'; expected exponential_decay, piecewise_constant_decay or cosine_decay");
    }
  }

  private static Map<String, String> arguments(String inside) {
    Map<String, String> args = new LinkedHashMap<>();
    for (String part : splitTopLevel(inside)) {
      if (part.isBlank()) continue;
      int eq = part.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("'" + part.trim() + "' is not key=value");
      String key = part.substring(0, eq).trim();
      if (args.put(key, part.substring(eq + 1).trim()) != null) throw new IllegalArgumentException(key + " given twice");
    }
    return args;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') depth++;
      if (c == ']') depth--;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static void allow(Map<String, String> args, Set<String> known) {
    for (String key : args.keySet()) {
      if (!known.contains(key)) throw new IllegalArgumentException("unknown argument '" + key + "'; expected " + known);
    }
  }

  private static String required(Map<String, String> args, String key) {
    String value = args.get(key);
    if (value == null) throw new IllegalArgumentException("needs " + key);
    return value;
  }

  private static double real(Map<String, String> args, String key) {
    return realValue(required(args, key));
  }

  private static long whole(Map<String, String> args, String key) {
    return wholeValue(required(args, key));
  }

  private static boolean bool(Map<String, String> args, String key) {
    String v = required(args, key).toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(key + " must be true or false, not " + v);
    return v.equals("true");
  }

  private static List<String> list(Map<String, String> args, String key) {
    String v = required(args, key);
    if (!v.startsWith("[") || !v.endsWith("]")) throw new IllegalArgumentException(key + " must be a list [a, b, ...]");
    List<String> items = new ArrayList<>();
    for (String item : v.substring(1, v.length() - 1).split(",")) items.add(item.trim());
    return items;
  }

  private static double realValue(String v) {
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a number");
    }
  }

  private static long wholeValue(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a whole number");
    }
  }
}
