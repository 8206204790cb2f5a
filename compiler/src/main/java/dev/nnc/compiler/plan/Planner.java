package dev.nnc.compiler.plan;

import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.FlattenSpec;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.OptimizerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Lowers a checked model to a {@link KernelPlan}: names every buffer and tensor, links each layer's
 * gradient buffers to its neighbours', and decides where the loss absorbs the output activation.
 */
public final class Planner {
  private Planner() {}

  public static KernelPlan plan(CheckedModel model, OptionalInt batchOverride) {
    return new Planner.Run(model, batchOverride.orElse(model.train().batch())).plan();
  }

  /** One planning run's mutable bookkeeping. */
  private static final class Run {
    private final CheckedModel model;
    private final int maxBatch;
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final Map<Buffer, Buffer> gradients = new HashMap<>();

    Run(CheckedModel model, int maxBatch) {
      this.model = model;
      this.maxBatch = maxBatch;
    }

    KernelPlan plan() {
      List<LayerSpec> specs = model.layers();
      int last = specs.size() - 1;
      LossSpec.Kind kind = model.loss().kind();
      boolean fused = kind != LossSpec.Kind.MEAN_SQUARED_ERROR;

      // A layer runs backward if it or a layer before it has parameters.
      boolean[] trainableUpTo = new boolean[specs.size()];
      boolean seen = false;
      for (int i = 0; i < specs.size(); i++) {
        seen |= specs.get(i).parameterCount() > 0;
        trainableUpTo[i] = seen;
      }

      Buffer input = buffer("input", model.inputSize(), "the batch's input features; rows past the batch are zero");
      Buffer current = input;
      List<LayerKernel> layers = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        LayerSpec spec = specs.get(i);
        boolean needsInputGradient = i > 0 && trainableUpTo[i - 1];
        boolean activationInLoss = fused && i == last;
        Buffer inputGradient = needsInputGradient ? gradientOf(current) : null;
        Buffer in = current;
        boolean outputGradient = trainableUpTo[i];
        LayerKernel kernel = spec.accept(new LayerSpec.Visitor<LayerKernel>() {
          @Override
          public LayerKernel dense(DenseSpec dense) {
            Buffer out = buffer(javaName(dense.name()) + "Out", dense.units(), dense.name() + "'s output");
            Param kernel = param(dense, "kernel", List.of(dense.inputs(), dense.units()), dense.kernelInitializer());
            Param bias = dense.useBias() ? param(dense, "bias", List.of(dense.units()), dense.biasInitializer()) : null;
            boolean sparseInput = in == input && inputGradient == null;
            return new LayerKernel.Dense(dense, in, out, kernel, bias, gradientOf(out), inputGradient,
                activationInLoss, sparseInput);
          }

          @Override
          public LayerKernel activation(ActivationSpec activation) {
            Buffer out = buffer(javaName(activation.name()) + "Out", size(activation), activation.name() + "'s output");
            Buffer outGrad = outputGradient && !activationInLoss ? gradientOf(out) : null;
            return new LayerKernel.Activation(activation, in, out, outGrad, inputGradient, activationInLoss);
          }

          @Override
          public LayerKernel dropout(DropoutSpec dropout) {
            Buffer out = buffer(javaName(dropout.name()) + "Out", size(dropout), dropout.name() + "'s output");
            Buffer mask = buffer(javaName(dropout.name()) + "Mask", size(dropout), dropout.name() + "'s mask: 0 or 1/(1 - rate)");
            Buffer outGrad = outputGradient ? gradientOf(out) : null;
            return new LayerKernel.Dropout(dropout, in, out, mask, outGrad, inputGradient);
          }

          /** Row-major data is already flat: no kernel, and the next layer reads the same buffer. */
          @Override
          public LayerKernel flatten(FlattenSpec flatten) {
            return null;
          }
        });
        if (kernel != null) {
          layers.add(kernel);
          current = kernel.output();
        }
      }

      LossKernel loss = loss(layers, current, fused);
      return new KernelPlan(model, model.name() + "Model", maxBatch, roundUp(maxBatch), input, layers, loss, params, buffers);
    }

    private LossKernel loss(List<LayerKernel> layers, Buffer output, boolean fused) {
      LossSpec lossSpec = model.loss();
      LayerKernel lastLayer = layers.isEmpty() ? null : layers.get(layers.size() - 1);
      Activation activation = Activation.LINEAR;
      Buffer gradient = null;
      if (lastLayer instanceof LayerKernel.Dense dense) {
        activation = dense.layer().activation();
        gradient = dense.outputGradient();
      } else if (lastLayer instanceof LayerKernel.Activation act) {
        activation = act.layer().activation();
        gradient = fused ? act.inputGradient() : act.outputGradient();
      } else if (lastLayer != null) {
        gradient = lastLayer.outputGradient();
      }
      boolean appliesActivation = fused && activation == Activation.LINEAR;
      Buffer probabilities = appliesActivation
          ? buffer("probabilities", output.width(), "the output activation applied to the logits")
          : output;
      return new LossKernel(lossSpec.kind(), activation, fused, appliesActivation,
          output, probabilities, gradient, output.width(), lossSpec.line());
    }

    private Buffer buffer(String field, int width, String role) {
      Buffer buffer = new Buffer(field, width, role);
      buffers.add(buffer);
      return buffer;
    }

    private Buffer gradientOf(Buffer buffer) {
      return gradients.computeIfAbsent(buffer,
          b -> buffer(b.field() + "Grad", b.width(), "the loss's gradient with respect to " + b.field()));
    }

    private Param param(DenseSpec dense, String which, List<Integer> shape, String initializer) {
      String field = javaName(dense.name()) + capitalize(which);
      Param param = new Param(dense.name() + "/" + which, field, shape, initializer,
          dense.inputs(), dense.units(), field + "Grad", stateFields(field));
      params.add(param);
      return param;
    }

    /** The optimizer's slots per tensor, named as Keras names them (momentums, velocities). */
    private List<String> stateFields(String field) {
      OptimizerSpec optimizer = model.optimizer();
      if (optimizer instanceof OptimizerSpec.Sgd sgd) {
        return sgd.momentum() != 0 ? List.of(field + "Momentum") : List.of();
      }
      if (optimizer instanceof OptimizerSpec.RmsProp rms) {
        return rms.momentum() != 0 ? List.of(field + "Velocity", field + "Momentum") : List.of(field + "Velocity");
      }
      return List.of(field + "Momentum", field + "Velocity");
    }

    private static int size(LayerSpec layer) {
      int size = 1;
      for (int d : layer.outputShape()) size *= d;
      return size;
    }
  }

  static int roundUp(int batch) {
    return (batch + KernelPlan.ROW_BLOCK - 1) / KernelPlan.ROW_BLOCK * KernelPlan.ROW_BLOCK;
  }

  /** {@code dense_1} → {@code dense1}: a Java field stem that keeps the Keras name recognisable. */
  public static String javaName(String kerasName) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : kerasName.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper && Character.isLetter(c) ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
