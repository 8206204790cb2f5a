package dev.nnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.compiler.plan.Param;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * One update method for all trainable tensors ({@link #STEP}), following Keras 3's update rules
 * exactly, in float32 as Keras computes them. Hyper-parameters are baked in as float literals,
 * except the learning rate: the class keeps it in a field that schedules may change between
 * steps, and each step reads it once into its step size {@code alpha}. (One method, not one per
 * tensor: the bodies were the same, and the JIT compiled each of them before the first step,
 * 34 ms for the MNIST example's four against 13 for one.)
 */
final class OptimizerKernels {
  private static final TypeName FLOATS = TypeName.get(float[].class);
  private final OptimizerSpec optimizer;
  private final boolean vector;

  /** With {@code vector}, the updates run in Vector API lanes first, with the same float operations in the same order. */
  OptimizerKernels(OptimizerSpec optimizer, boolean vector) {
    this.optimizer = optimizer;
    this.vector = vector;
  }

  /**
   * Statements computing {@code float alpha}, the size of step {@code iterations}, from the field
   * {@code learningRate}: the learning rate itself, or for Adam with its bias corrections folded in.
   */
  CodeBlock stepSize() {
    if (!(optimizer instanceof OptimizerSpec.Adam adam)) return CodeBlock.of("float alpha = learningRate;\n");
    // Keras takes the powers in float32; so does this, so that the steps agree to the last bit.
    return CodeBlock.builder()
        .addStatement("float beta1Power = (float) Math.pow($L, iterations)", Literals.f(adam.beta1()))
        .addStatement("float beta2Power = (float) Math.pow($L, iterations)", Literals.f(adam.beta2()))
        .addStatement("float alpha = learningRate * (float) Math.sqrt(1f - beta2Power) / (1f - beta1Power)")
        .build();
  }

  /** The source's learning rate, as a float literal: the field's value after {@code initialize}. */
  String learningRate() {
    if (optimizer instanceof OptimizerSpec.Sgd s) return Literals.f(s.learningRate());
    if (optimizer instanceof OptimizerSpec.RmsProp r) return Literals.f(r.learningRate());
    return Literals.f(((OptimizerSpec.Adam) optimizer).learningRate());
  }

  /** A one-line description for comments: {@code rmsprop(learning_rate=0.001, rho=0.9, ...)}. */
  String describe() {
    if (optimizer instanceof OptimizerSpec.Sgd s) {
      return "sgd(learning_rate=" + s.learningRate() + ", momentum=" + s.momentum() + ", nesterov=" + s.nesterov() + ")";
    }
    if (optimizer instanceof OptimizerSpec.RmsProp r) {
      return "rmsprop(learning_rate=" + r.learningRate() + ", rho=" + r.rho() + ", momentum=" + r.momentum()
          + ", epsilon=" + r.epsilon() + ")";
    }
    OptimizerSpec.Adam a = (OptimizerSpec.Adam) optimizer;
    return "adam(learning_rate=" + a.learningRate() + ", beta_1=" + a.beta1() + ", beta_2=" + a.beta2()
        + ", epsilon=" + a.epsilon() + ")";
  }

  /** The name of the {@link #update} kernel. */
  static final String STEP = "optimizerStep";

  /**
   * {@code (float[] w, float[] g, state..., [float alpha], int from, int to)}: the update of elements
   * {@code [from, to)} of a tensor, for every tensor (their slots are alike: {@code param} is any of them).
   */
  MethodSpec update(Param param) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(STEP).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(FLOATS, "w").addParameter(FLOATS, "g");
    addStepParameters(m, param);
    m.addParameter(int.class, "from").addParameter(int.class, "to");
    m.addStatement("int i = from");
    if (vector) {
      ClassName fv = VectorDenseKernels.FLOAT_VECTOR;
      m.beginControlFlow("for (; i + LANES <= to; i += LANES)")
          .addStatement("$T gi = $T.fromArray(SPECIES, g, i)", fv, fv);
      addVectorStep(m, "gi", "i");
      m.endControlFlow();
    }
    m.beginControlFlow("for (; i < to; i++)");
    addScalarStep(m, "g[i]", "i");
    return m.endControlFlow().build();
  }

  /**
   * The statement that calls the {@link #update} kernel on elements {@code [from, to)} of {@code w}
   * (a tensor with {@code param}'s slots) with gradient {@code g}, from a kernel with the {@link #addStepParameters}.
   */
  CodeBlock updateCall(Param param, String w, String g, String from, String to) {
    List<String> args = new ArrayList<>(List.of(w, g));
    for (int s = 0; s < param.stateFields().size(); s++) args.add(slotName(s));
    args.add("alpha");
    return CodeBlock.of("$L($L, $L, $L);\n", STEP, String.join(", ", args), from, to);
  }

  /**
   * Whether a step on elements whose gradient is exactly zero leaves their weights as they are, so
   * that a kernel that knows a run of its gradient is zero can take the cheaper
   * {@link #zeroGradientUpdateCall} there: plain SGD (such a step changes nothing) and RMSprop without
   * momentum (it only decays the mean squares: 0.1 * 0² adds zero, and the increment 0 / sqrt(..) is
   * zero); with momentum, or Adam, weights move on their history.
   */
  boolean zeroGradientKeepsWeights() {
    if (optimizer instanceof OptimizerSpec.Sgd sgd) return sgd.momentum() == 0;
    return optimizer instanceof OptimizerSpec.RmsProp rms && rms.momentum() == 0;
  }

  /** The name of {@code param}'s {@link #zeroGradientUpdate} kernel: {@code decayDense1Kernel} for {@code dense1Kernel}. */
  static String zeroGradientUpdateName(Param param) {
    return "decay" + Character.toUpperCase(param.field().charAt(0)) + param.field().substring(1);
  }

  /**
   * {@code (float[] s0, int from, int to)}: what a step does to elements {@code [from, to)} of
   * {@code param} whose gradient is zero, bit for bit, for RMSprop without momentum: the mean squares
   * decay ({@code s0 = rho * s0}, then flushed as in every step), and nothing else is read or
   * written: no weights, no gradient, none of the step's square roots and divisions, which are most
   * of its time. Empty for plain SGD, whose step then does nothing.
   */
  java.util.Optional<MethodSpec> zeroGradientUpdate(Param param) {
    if (!(optimizer instanceof OptimizerSpec.RmsProp rms) || rms.momentum() != 0) return java.util.Optional.empty();
    MethodSpec.Builder m = MethodSpec.methodBuilder(zeroGradientUpdateName(param)).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(FLOATS, "s0").addParameter(int.class, "from").addParameter(int.class, "to")
        .addStatement("int i = from");
    String rho = Literals.f(rms.rho());
    if (vector) {
      ClassName fv = VectorDenseKernels.FLOAT_VECTOR;
      m.beginControlFlow("for (; i + LANES <= to; i += LANES)")
          .addStatement("$T v = $T.fromArray(SPECIES, s0, i).mul($L)", fv, fv, rho);
      addVectorFlush(m, "v", false);
      m.addStatement("v.intoArray(s0, i)").endControlFlow();
    }
    m.beginControlFlow("for (; i < to; i++)").addStatement("float v = $L * s0[i]", rho);
    addScalarFlush(m, "v", false);
    return java.util.Optional.of(m.addStatement("s0[i] = v").endControlFlow().build());
  }

  /**
   * The statement a kernel with the {@link #addStepParameters} runs instead of {@link #updateCall}
   * where the gradient of elements {@code [from, to)} is zero, when there is a {@link #zeroGradientUpdate}.
   */
  CodeBlock zeroGradientUpdateCall(Param param, String from, String to) {
    return CodeBlock.of("$L($L, $L, $L);\n", zeroGradientUpdateName(param), slotName(0), from, to);
  }

  /** The parameters a step needs besides the weights and the gradient: the slots {@code s0, s1...}, then the step size {@code alpha}. */
  void addStepParameters(MethodSpec.Builder m, Param param) {
    for (int s = 0; s < param.stateFields().size(); s++) m.addParameter(FLOATS, slotName(s));
    m.addParameter(float.class, "alpha");
  }

  /** The arguments for {@link #addStepParameters}: {@code param}'s slot fields, then {@code alpha}. */
  List<String> stepArguments(Param param, String alpha) {
    List<String> args = new ArrayList<>(param.stateFields());
    args.add(alpha);
    return args;
  }

  /**
   * One step on element {@code at} of {@code w} (and of the slots), whose gradient is the float
   * {@code g}: Keras' rule, in float32.
   */
  void addScalarStep(MethodSpec.Builder m, String g, String at) {
    String i = at;
    if (optimizer instanceof OptimizerSpec.Sgd sgd) {
      String lr = "alpha";
      if (sgd.momentum() == 0) {
        m.addStatement("w[$L] -= $L * $L", i, g, lr);
      } else {
        String mu = Literals.f(sgd.momentum());
        m.addStatement("float m = s0[$L] * $L - $L * $L", i, mu, g, lr);
        addScalarFlush(m, "m", true);
        m.addStatement("s0[$L] = m", i);
        if (sgd.nesterov()) {
          m.addStatement("w[$L] += m * $L - $L * $L", i, mu, g, lr);
        } else {
          m.addStatement("w[$L] += m", i);
        }
      }
    } else if (optimizer instanceof OptimizerSpec.RmsProp rms) {
      m.addStatement("float gi = $L", g)
          .addStatement("float v = $L * s0[$L] + $L * (gi * gi)", Literals.f(rms.rho()), i, Literals.f(1 - rms.rho()));
      addScalarFlush(m, "v", false);
      m.addStatement("s0[$L] = v", i)
          .addStatement("float increment = $L * gi / (float) Math.sqrt(v + $L)",
              "alpha", Literals.f(rms.epsilon()));
      if (rms.momentum() == 0) {
        m.addStatement("w[$L] -= increment", i);
      } else {
        m.addStatement("float m = $L * s1[$L] + increment", Literals.f(rms.momentum()), i);
        addScalarFlush(m, "m", true);
        m.addStatement("s1[$L] = m", i)
            .addStatement("w[$L] -= m", i);
      }
    } else {
      OptimizerSpec.Adam adam = (OptimizerSpec.Adam) optimizer;
      m.addStatement("float gi = $L", g)
          .addStatement("float m = s0[$L] + (gi - s0[$L]) * $L", i, i, Literals.f(1 - adam.beta1()))
          .addStatement("float v = s1[$L] + (gi * gi - s1[$L]) * $L", i, i, Literals.f(1 - adam.beta2()));
      addScalarFlush(m, "m", true);
      addScalarFlush(m, "v", false);
      m.addStatement("s0[$L] = m", i)
          .addStatement("s1[$L] = v", i)
          .addStatement("w[$L] -= m * alpha / ((float) Math.sqrt(v) + $L)", i, Literals.f(adam.epsilon()));
    }
  }

  /**
   * One step on the vector of elements at {@code at} of {@code w} (and of the slots), whose
   * gradient is the vector {@code gi}: lane by lane exactly as {@link #addScalarStep} (IEEE
   * multiplications, additions, divisions and square roots are the same in lanes and in scalars;
   * no fused multiply-add), so that both kinds of kernels, and a step fused into a gradient
   * kernel, are bit-identical.
   */
  void addVectorStep(MethodSpec.Builder m, String gi, String at) {
    ClassName fv = VectorDenseKernels.FLOAT_VECTOR;
    m.addStatement("$T wi = $T.fromArray(SPECIES, w, $L)", fv, fv, at);
    if (optimizer instanceof OptimizerSpec.Sgd sgd) {
      String lr = "alpha";
      if (sgd.momentum() == 0) {
        m.addStatement("wi.sub($L.mul($L)).intoArray(w, $L)", gi, lr, at);
      } else {
        String mu = Literals.f(sgd.momentum());
        m.addStatement("$T m = $T.fromArray(SPECIES, s0, $L).mul($L).sub($L.mul($L))", fv, fv, at, mu, gi, lr);
        addVectorFlush(m, "m", true);
        m.addStatement("m.intoArray(s0, $L)", at);
        if (sgd.nesterov()) {
          m.addStatement("wi.add(m.mul($L).sub($L.mul($L))).intoArray(w, $L)", mu, gi, lr, at);
        } else {
          m.addStatement("wi.add(m).intoArray(w, $L)", at);
        }
      }
    } else if (optimizer instanceof OptimizerSpec.RmsProp rms) {
      m.addStatement("$T v = $T.fromArray(SPECIES, s0, $L).mul($L).add($L.mul($L).mul($L))",
              fv, fv, at, Literals.f(rms.rho()), gi, gi, Literals.f(1 - rms.rho()));
      addVectorFlush(m, "v", false);
      m.addStatement("v.intoArray(s0, $L)", at)
          .addStatement("$T increment = $L.mul($L).div(v.add($L).sqrt())", fv, gi, "alpha", Literals.f(rms.epsilon()));
      if (rms.momentum() == 0) {
        m.addStatement("wi.sub(increment).intoArray(w, $L)", at);
      } else {
        m.addStatement("$T m = $T.fromArray(SPECIES, s1, $L).mul($L).add(increment)", fv, fv, at, Literals.f(rms.momentum()));
        addVectorFlush(m, "m", true);
        m.addStatement("m.intoArray(s1, $L)", at)
            .addStatement("wi.sub(m).intoArray(w, $L)", at);
      }
    } else {
      OptimizerSpec.Adam adam = (OptimizerSpec.Adam) optimizer;
      m.addStatement("$T m0 = $T.fromArray(SPECIES, s0, $L)", fv, fv, at)
          .addStatement("$T v0 = $T.fromArray(SPECIES, s1, $L)", fv, fv, at)
          .addStatement("$T m = m0.add($L.sub(m0).mul($L))", fv, gi, Literals.f(1 - adam.beta1()))
          .addStatement("$T v = v0.add($L.mul($L).sub(v0).mul($L))", fv, gi, gi, Literals.f(1 - adam.beta2()));
      addVectorFlush(m, "m", true);
      addVectorFlush(m, "v", false);
      m.addStatement("m.intoArray(s0, $L)", at)
          .addStatement("v.intoArray(s1, $L)", at)
          .addStatement("wi.sub(m.mul(alpha).div(v.sqrt().add($L))).intoArray(w, $L)", Literals.f(adam.epsilon()), at);
    }
  }

  /**
   * Flushes the slot value {@code x} just computed to zero when it is subnormal (below
   * {@link Float#MIN_NORMAL} in magnitude; {@code signed} when it can be negative), as TensorFlow's
   * CPU kernels do, which run with flush-to-zero. A slot whose gradient stays zero (a pixel that is
   * blank in every image) decays towards zero by the same factor every step; on x86 every vector
   * instruction with a subnormal lane then takes a slow microcode path, which made the MNIST
   * example's epochs from the third on about 15% slower. A subnormal slot is far too small to
   * change a step: RMSprop and Adam add their epsilon (1e-7 by default) to it or to its square root,
   * and a subnormal momentum moves no weight of a normal size.
   */
  private static void addScalarFlush(MethodSpec.Builder m, String x, boolean signed) {
    m.beginControlFlow("if ($L < Float.MIN_NORMAL)", signed ? "Math.abs(" + x + ")" : x)
        .addStatement("$L = 0f", x)
        .endControlFlow();
  }

  /** {@link #addScalarFlush} lane by lane, for the vector {@code x}. */
  private static void addVectorFlush(MethodSpec.Builder m, String x, boolean signed) {
    m.addStatement("$L = $L.blend(0f, $L.lt(Float.MIN_NORMAL))", x, x, signed ? x + ".abs()" : x);
  }

  /** Slot parameters are s0, s1 in the order of {@link Param#stateFields()}. */
  private static String slotName(int slot) {
    return "s" + slot;
  }
}
