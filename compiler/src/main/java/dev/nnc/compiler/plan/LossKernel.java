package dev.nnc.compiler.plan;

import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.LossSpec;

/**
 * The loss over a batch and the gradient it starts the backward pass with.
 *
 * <p>With {@code fused}, the output activation (softmax for the cross-entropies, sigmoid for the
 * binary one) is folded into the loss: the gradient {@code (p − y) / n} (over {@code n · outputs}
 * for binary) is taken with respect to the activation's input and written to {@code gradient}.
 * When the last layer is linear (logits), the loss applies that activation itself and
 * {@code probabilities} holds the result; otherwise {@code probabilities} is the last layer's output.
 * Without {@code fused} (mean squared error) the gradient is with respect to the output.
 */
public record LossKernel(
    LossSpec.Kind kind, Activation outputActivation, boolean fused, boolean appliesActivation,
    Buffer logits, Buffer probabilities, Buffer gradient, int outputs, int line) {}
