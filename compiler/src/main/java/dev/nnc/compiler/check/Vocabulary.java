package dev.nnc.compiler.check;

import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.LossSpec;
import java.util.List;

/** The names of the language: statements, and the Keras names (with Keras' aliases) it accepts. */
final class Vocabulary {
  private Vocabulary() {}

  enum OptimizerKind { SGD, RMSPROP, ADAM }

  /** Statement keywords, for "unknown statement" suggestions ('model' starts the optional header). */
  static final NameTable<String> STATEMENTS = keywords(
      "input", "dense", "activation", "dropout", "flatten", "loss", "optimizer", "metrics", "train", "model");

  /** Statements a model has at most one of. */
  static final List<String> SINGLE_STATEMENTS = List.of("input", "loss", "optimizer", "metrics", "train");

  /** Statements that add a layer, named by Keras as {@code dense_1}, {@code dropout_1}, ... */
  static final List<String> LAYER_STATEMENTS = List.of("dense", "activation", "dropout", "flatten");

  static final NameTable<Activation> ACTIVATIONS = activations();

  static final NameTable<LossSpec.Kind> LOSSES = new NameTable<LossSpec.Kind>("loss", DiagnosticIds.UNKNOWN_LOSS)
      .add(LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY, "sparse_ce", "sparse_categorical_crossentropy")
      .add(LossSpec.Kind.CATEGORICAL_CROSSENTROPY, "ce", "categorical_crossentropy")
      .add(LossSpec.Kind.BINARY_CROSSENTROPY, "binary_ce", "binary_crossentropy")
      .add(LossSpec.Kind.MEAN_SQUARED_ERROR, "mse", "mean_squared_error");

  static final NameTable<OptimizerKind> OPTIMIZERS =
      new NameTable<OptimizerKind>("optimizer", DiagnosticIds.UNKNOWN_OPTIMIZER)
          .add(OptimizerKind.SGD, "sgd")
          .add(OptimizerKind.RMSPROP, "rmsprop")
          .add(OptimizerKind.ADAM, "adam");

  /** Keras' initializer names; the runtime's Initializers.NAMES holds the same list (a test checks). */
  static final NameTable<String> INITIALIZERS = initializers(
      "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "zeros", "ones");

  /** Keras' metric names, each resolving to the name it is logged under; the runtime's Metric.NAMES lists the same (a test checks). */
  static final NameTable<String> METRICS = new NameTable<String>("metric", DiagnosticIds.UNKNOWN_METRIC)
      .add("accuracy", "accuracy", "acc")
      .add("mae", "mae", "mean_absolute_error")
      .add("mse", "mse", "mean_squared_error")
      .add("precision", "precision")
      .add("recall", "recall")
      .add("auc", "auc")
      .add("top_k_categorical_accuracy", "top_k_categorical_accuracy")
      .add("sparse_top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy");

  private static NameTable<Activation> activations() {
    NameTable<Activation> table = new NameTable<>("activation", DiagnosticIds.UNKNOWN_ACTIVATION);
    for (Activation activation : Activation.values()) table.add(activation, activation.kerasName());
    return table;
  }

  private static NameTable<String> initializers(String... names) {
    return names(new NameTable<>("initializer", DiagnosticIds.UNKNOWN_INITIALIZER), names);
  }

  private static NameTable<String> keywords(String... names) {
    return names(new NameTable<>("statement", DiagnosticIds.UNKNOWN_STATEMENT), names);
  }

  private static NameTable<String> names(NameTable<String> table, String... names) {
    for (String name : names) table.add(name, name);
    return table;
  }
}
