package dev.nnc.maven.generate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run did: each model's outcome, the stale outputs it removed, and the problems to report.
 *
 * @param errors one line each, {@code FILE:LINE:COL: error: MESSAGE [id]} for problems in a model
 * @param warnings one line each
 */
public record GenerateResult(List<ModelResult> models, List<Path> removed, List<String> errors, List<String> warnings) {

  public GenerateResult {
    models = List.copyOf(models);
    removed = List.copyOf(removed);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean failed() {
    return !errors.isEmpty();
  }

  public long count(Outcome outcome) {
    return models.stream().filter(m -> m.outcome() == outcome).count();
  }

  /** One model's outcome; {@code output} is the Java file it has (or had, when it failed). */
  public record ModelResult(Path source, Outcome outcome, Optional<Path> output) {}

  public enum Outcome {
    /** Compiled and its Java file (re)written. */
    WRITTEN("generated"),
    /** Compiled, but the Java file already held exactly that text, so it was left alone. */
    UNCHANGED("unchanged"),
    /** Same source, same nnc, output intact: not even compiled. */
    UP_TO_DATE("up to date"),
    /** Has errors; nothing written. */
    FAILED("failed");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
