package dev.nnc.compiler.diag;

/**
 * Every diagnostic id, in one place. Ids are stable: tools and tests match on them, and
 * docs/diagnostics.md documents each one (a test checks that the two lists agree).
 */
public final class DiagnosticIds {
  private DiagnosticIds() {}

  // Parse stage.
  public static final String SYNTAX_ERROR = "syntax-error";
  public static final String UNEXPECTED_CHARACTER = "unexpected-character";

  // Structure of the file.
  public static final String UNKNOWN_STATEMENT = "unknown-statement";
  public static final String DUPLICATE_STATEMENT = "duplicate-statement";
  public static final String DUPLICATE_MODEL = "duplicate-model";
  public static final String STATEMENT_OUTSIDE_MODEL = "statement-outside-model";
  public static final String INVALID_MODEL_NAME = "invalid-model-name";
  public static final String MISSING_INPUT = "missing-input";
  public static final String LAYER_BEFORE_INPUT = "layer-before-input";
  public static final String MISSING_LAYERS = "missing-layers";
  public static final String MISSING_LOSS = "missing-loss";

  // Names.
  public static final String UNKNOWN_ACTIVATION = "unknown-activation";
  public static final String UNKNOWN_LOSS = "unknown-loss";
  public static final String UNKNOWN_OPTIMIZER = "unknown-optimizer";
  public static final String UNKNOWN_INITIALIZER = "unknown-initializer";
  public static final String UNKNOWN_METRIC = "unknown-metric";

  // Arguments and values.
  public static final String UNKNOWN_ARGUMENT = "unknown-argument";
  public static final String DUPLICATE_ARGUMENT = "duplicate-argument";
  public static final String WRONG_VALUE_TYPE = "wrong-value-type";
  public static final String VALUE_OUT_OF_RANGE = "value-out-of-range";

  // Shapes and the output.
  public static final String FLATTEN_REQUIRED = "flatten-required";
  public static final String SIZE_TOO_LARGE = "size-too-large";
  public static final String TOO_MANY_LAYERS = "too-many-layers";
  public static final String INVALID_OUTPUT_LAYER = "invalid-output-layer";
  public static final String LOSS_ACTIVATION_MISMATCH = "loss-activation-mismatch";
  public static final String LOSS_OUTPUT_MISMATCH = "loss-output-mismatch";
  public static final String METRIC_LOSS_MISMATCH = "metric-loss-mismatch";
}
