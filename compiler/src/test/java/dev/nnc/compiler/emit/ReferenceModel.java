package dev.nnc.compiler.emit;

import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.runtime.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent float64 implementation of a checked model (dropout excluded): a per-sample
 * forward pass, the loss as Keras defines it, a backward pass by the plain chain rule (true
 * Jacobians, no fused shortcuts) and Keras 3's optimizer rules. Written for clarity, not speed;
 * its own gradients are checked against finite differences.
 */
final class ReferenceModel {
  private static final double EPSILON = 1e-7;

  final CheckedModel model;
  final Map<String, double[]> params = new LinkedHashMap<>();
  private final Map<String, double[][]> slots = new LinkedHashMap<>();
  private long iterations;

  /** Starts from the generated model's current parameters. */
  ReferenceModel(CheckedModel model, Model generated) {
    this.model = model;
    for (Model.Tensor t : generated.parameters()) {
      float[] values = new float[t.size()];
      generated.readParameter(t.name(), values);
      double[] d = new double[values.length];
      for (int i = 0; i < d.length; i++) d[i] = values[i];
      params.put(t.name(), d);
      slots.put(t.name(), new double[][] {new double[d.length], new double[d.length]});
    }
  }

  /** Mean loss over the first {@code n} samples. */
  double loss(float[] x, float[] y, int n) {
    double total = 0;
    for (int i = 0; i < n; i++) total += sampleLoss(forward(x, i), y, i);
    return total / n;
  }

  /** d(mean loss)/d(parameter) for every parameter. */
  Map<String, double[]> gradients(float[] x, float[] y, int n) {
    Map<String, double[]> grads = new LinkedHashMap<>();
    params.forEach((k, v) -> grads.put(k, new double[v.length]));
    for (int i = 0; i < n; i++) {
      double[][] acts = forward(x, i);
      double[] d = outputGradient(acts, y, i);
      for (int j = 0; j < d.length; j++) d[j] /= n;
      for (int l = model.layers().size() - 1; l >= 0; l--) {
        LayerSpec layer = model.layers().get(l);
        double[] in = acts[l];
        double[] out = acts[l + 1];
        if (layer instanceof DenseSpec dense) {
          double[] dz = activationBackward(dense.activation(), out, d);
          double[] w = params.get(dense.name() + "/kernel");
          double[] gw = grads.get(dense.name() + "/kernel");
          for (int k = 0; k < dense.inputs(); k++) {
            for (int j = 0; j < dense.units(); j++) gw[k * dense.units() + j] += in[k] * dz[j];
          }
          if (dense.useBias()) {
            double[] gb = grads.get(dense.name() + "/bias");
            for (int j = 0; j < dense.units(); j++) gb[j] += dz[j];
          }
          double[] dx = new double[dense.inputs()];
          for (int k = 0; k < dense.inputs(); k++) {
            for (int j = 0; j < dense.units(); j++) dx[k] += w[k * dense.units() + j] * dz[j];
          }
          d = dx;
        } else if (layer instanceof ActivationSpec act) {
          d = activationBackward(act.activation(), out, d);
        }
      }
    }
    return grads;
  }

  /** One optimizer step with the given gradients, by Keras 3's rules, in float64. */
  void step(Map<String, double[]> grads) {
    iterations++;
    for (Map.Entry<String, double[]> e : params.entrySet()) {
      double[] w = e.getValue();
      double[] g = grads.get(e.getKey());
      double[] s0 = slots.get(e.getKey())[0];
      double[] s1 = slots.get(e.getKey())[1];
      OptimizerSpec o = model.optimizer();
      for (int i = 0; i < w.length; i++) {
        if (o instanceof OptimizerSpec.Sgd sgd) {
          if (sgd.momentum() == 0) {
            w[i] -= sgd.learningRate() * g[i];
          } else {
            s0[i] = sgd.momentum() * s0[i] - sgd.learningRate() * g[i];
            w[i] += sgd.nesterov() ? sgd.momentum() * s0[i] - sgd.learningRate() * g[i] : s0[i];
          }
        } else if (o instanceof OptimizerSpec.RmsProp rms) {
          s0[i] = rms.rho() * s0[i] + (1 - rms.rho()) * g[i] * g[i];
          double increment = rms.learningRate() * g[i] / Math.sqrt(s0[i] + rms.epsilon());
          if (rms.momentum() == 0) {
            w[i] -= increment;
          } else {
            s1[i] = rms.momentum() * s1[i] + increment;
            w[i] -= s1[i];
          }
        } else if (o instanceof OptimizerSpec.Adam adam) {
          s0[i] += (g[i] - s0[i]) * (1 - adam.beta1());
          s1[i] += (g[i] * g[i] - s1[i]) * (1 - adam.beta2());
          double alpha = adam.learningRate() * Math.sqrt(1 - Math.pow(adam.beta2(), iterations))
              / (1 - Math.pow(adam.beta1(), iterations));
          w[i] -= s0[i] * alpha / (Math.sqrt(s1[i]) + adam.epsilon());
        }
      }
    }
  }

  /** Activations of sample {@code i}: index 0 is the input, index l+1 the output of layer l. */
  double[][] forward(float[] x, int i) {
    int inputs = model.inputSize();
    double[][] acts = new double[model.layers().size() + 1][];
    acts[0] = new double[inputs];
    for (int k = 0; k < inputs; k++) acts[0][k] = x[i * inputs + k];
    for (int l = 0; l < model.layers().size(); l++) {
      LayerSpec layer = model.layers().get(l);
      double[] in = acts[l];
      if (layer instanceof DenseSpec dense) {
        double[] w = params.get(dense.name() + "/kernel");
        double[] z = new double[dense.units()];
        for (int j = 0; j < dense.units(); j++) {
          double s = dense.useBias() ? params.get(dense.name() + "/bias")[j] : 0;
          for (int k = 0; k < dense.inputs(); k++) s += in[k] * w[k * dense.units() + j];
          z[j] = s;
        }
        acts[l + 1] = activate(dense.activation(), z);
      } else if (layer instanceof ActivationSpec act) {
        acts[l + 1] = activate(act.activation(), in);
      } else if (layer instanceof DropoutSpec) {
        throw new UnsupportedOperationException("the reference has no dropout");
      } else {
        acts[l + 1] = in;
      }
    }
    return acts;
  }

  private Activation outputActivation() {
    LayerSpec last = model.layers().get(model.layers().size() - 1);
    if (last instanceof DenseSpec d) return d.activation();
    if (last instanceof ActivationSpec a) return a.activation();
    return Activation.LINEAR;
  }

  /** With a linear output, the cross-entropies read it as logits (from_logits = True). */
  private boolean fromLogits() {
    return outputActivation() == Activation.LINEAR && model.loss().kind() != LossSpec.Kind.MEAN_SQUARED_ERROR;
  }

  private double sampleLoss(double[][] acts, float[] y, int i) {
    double[] out = acts[acts.length - 1];
    int w = out.length;
    LossSpec.Kind kind = model.loss().kind();
    double[] p = fromLogits()
        ? activate(kind == LossSpec.Kind.BINARY_CROSSENTROPY ? Activation.SIGMOID : Activation.SOFTMAX, out)
        : out;
    switch (kind) {
      case SPARSE_CATEGORICAL_CROSSENTROPY:
        return -Math.log(clip(p[(int) y[i]]));
      case CATEGORICAL_CROSSENTROPY: {
        double s = 0;
        for (int j = 0; j < w; j++) s -= y[i * w + j] * Math.log(clip(p[j]));
        return s;
      }
      case BINARY_CROSSENTROPY: {
        double s = 0;
        for (int j = 0; j < w; j++) {
          double t = y[i * w + j];
          double q = clip(p[j]);
          s -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
        }
        return s / w;
      }
      default: {
        double s = 0;
        for (int j = 0; j < w; j++) s += (p[j] - y[i * w + j]) * (p[j] - y[i * w + j]);
        return s / w;
      }
    }
  }

  /**
   * d(sample loss)/d(last layer's output); for logits, the derivative through the activation the
   * loss applies, which the last layer's (linear) backward then passes through unchanged.
   */
  private double[] outputGradient(double[][] acts, float[] y, int i) {
    double[] out = acts[acts.length - 1];
    int w = out.length;
    double[] d = new double[w];
    LossSpec.Kind kind = model.loss().kind();
    if (fromLogits()) {
      double[] p = activate(kind == LossSpec.Kind.BINARY_CROSSENTROPY ? Activation.SIGMOID : Activation.SOFTMAX, out);
      for (int j = 0; j < w; j++) {
        switch (kind) {
          case SPARSE_CATEGORICAL_CROSSENTROPY -> d[j] = p[j] - (j == (int) y[i] ? 1 : 0);
          case CATEGORICAL_CROSSENTROPY -> {
            double sum = 0;
            for (int k = 0; k < w; k++) sum += y[i * w + k];
            d[j] = p[j] * sum - y[i * w + j];
          }
          default -> d[j] = (p[j] - y[i * w + j]) / w;
        }
      }
      return d;
    }
    for (int j = 0; j < w; j++) {
      double p = out[j];
      switch (kind) {
        case SPARSE_CATEGORICAL_CROSSENTROPY -> d[j] = j == (int) y[i] ? -1 / p : 0;
        case CATEGORICAL_CROSSENTROPY -> d[j] = -y[i * w + j] / p;
        case BINARY_CROSSENTROPY -> {
          double t = y[i * w + j];
          d[j] = (-t / p + (1 - t) / (1 - p)) / w;
        }
        default -> d[j] = 2 * (p - y[i * w + j]) / w;
      }
    }
    return d;
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
  }

  static double[] activate(Activation activation, double[] z) {
    double[] h = new double[z.length];
    if (activation == Activation.SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) max = Math.max(max, v);
      double sum = 0;
      for (int j = 0; j < z.length; j++) sum += h[j] = Math.exp(z[j] - max);
      for (int j = 0; j < z.length; j++) h[j] /= sum;
      return h;
    }
    for (int j = 0; j < z.length; j++) {
      h[j] = switch (activation) {
        case RELU -> Math.max(z[j], 0);
        case SIGMOID -> 1 / (1 + Math.exp(-z[j]));
        case TANH -> Math.tanh(z[j]);
        default -> z[j];
      };
    }
    return h;
  }

  /** d/dz given d/dh and h = act(z), with softmax's full Jacobian. */
  static double[] activationBackward(Activation activation, double[] h, double[] dh) {
    double[] dz = new double[h.length];
    if (activation == Activation.SOFTMAX) {
      for (int j = 0; j < h.length; j++) {
        for (int k = 0; k < h.length; k++) dz[j] += dh[k] * h[k] * ((j == k ? 1 : 0) - h[j]);
      }
      return dz;
    }
    for (int j = 0; j < h.length; j++) {
      dz[j] = dh[j] * switch (activation) {
        case RELU -> h[j] > 0 ? 1 : 0;
        case SIGMOID -> h[j] * (1 - h[j]);
        case TANH -> 1 - h[j] * h[j];
        default -> 1;
      };
    }
    return dz;
  }
}
