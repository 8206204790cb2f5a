package dev.nnc.compiler.model;

import java.util.Locale;

/** The activations of the language, under their Keras names. */
public enum Activation {
  RELU, SIGMOID, TANH, SOFTMAX, LINEAR;

  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
