package dev.nnc.compiler.diag;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelled names: the closest candidate by Damerau–Levenshtein distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code word}, if it is close enough to be a plausible misspelling:
   * a case-insensitive match first ({@code RMSprop} → {@code rmsprop}), otherwise an edit distance of
   * at most a third of the candidate's length (at least 1, at most 3). Ties go to the earlier candidate.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    for (String candidate : candidates) {
      if (candidate.equalsIgnoreCase(word) && !candidate.equals(word)) return Optional.of(candidate);
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = word.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      int allowed = Math.max(1, Math.min(3, candidate.length() / 3));
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT), allowed);
      if (distance <= allowed && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code " (did you mean 'x'?)"} or "" — ready to append to a message. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /**
   * Optimal-string-alignment distance (insertions, deletions, substitutions and transpositions of
   * neighbours, each costing 1). Returns {@code limit + 1} early when the lengths alone exceed the
   * limit, so a 100k-character garbage word costs nothing.
   */
  public static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) return limit + 1;
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
