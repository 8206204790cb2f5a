package dev.nnc.compiler.model;

/**
 * {@code optimizer NAME(args);} with every argument resolved (Keras 3 defaults filled in).
 * {@code line} is the statement's 1-based source line, or 0 when the source has no optimizer
 * statement and Keras' default ({@code rmsprop}) was taken.
 */
public sealed interface OptimizerSpec {
  int line();

  double learningRate();

  /** {@code w -= lr·g}, or with momentum {@code m = momentum·m − lr·g; w += m} (nesterov: {@code w += momentum·m − lr·g}). */
  record Sgd(double learningRate, double momentum, boolean nesterov, int line) implements OptimizerSpec {}

  /** {@code v = rho·v + (1−rho)·g²; inc = lr·g/sqrt(v + epsilon); w -= inc} (with momentum: {@code m = momentum·m + inc; w -= m}). */
  record RmsProp(double learningRate, double rho, double momentum, double epsilon, int line) implements OptimizerSpec {}

  /** Keras 3 Adam: epsilon outside the root, bias correction folded into the step size. */
  record Adam(double learningRate, double beta1, double beta2, double epsilon, int line) implements OptimizerSpec {}
}
