package dev.nnc.runtime;

/** A model's mean loss and accuracy over a data set, as Keras' {@code evaluate} returns them. */
public record Evaluation(double loss, double accuracy) {}
