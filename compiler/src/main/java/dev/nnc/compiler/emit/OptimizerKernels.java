package dev.nnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.compiler.plan.Param;
import javax.lang.model.element.Modifier;

/**
 * One update method per trainable tensor, following Keras 3's update rules exactly, in float32
 * as Keras computes them. Hyper-parameters are baked in as float literals.
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

  /** Adam folds its bias corrections into a per-step size; the others need nothing per step. */
  boolean needsStepSize() {
    return optimizer instanceof OptimizerSpec.Adam;
  }

  /** Statements computing {@code float alpha} for step {@code iterations} (Adam only). */
  CodeBlock stepSize() {
    OptimizerSpec.Adam adam = (OptimizerSpec.Adam) optimizer;
    // Keras takes the powers in float32; so does this, so that the steps agree to the last bit.
    return CodeBlock.builder()
        .addStatement("float beta1Power = (float) Math.pow($L, iterations)", Literals.f(adam.beta1()))
        .addStatement("float beta2Power = (float) Math.pow($L, iterations)", Literals.f(adam.beta2()))
        .addStatement("float alpha = $L * (float) Math.sqrt(1f - beta2Power) / (1f - beta1Power)", Literals.f(adam.learningRate()))
        .build();
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

  /** {@code (float[] w, float[] g, state..., [float alpha], int from, int to)}: the update of elements {@code [from, to)} of one tensor. */
  MethodSpec update(Param param, String name) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(FLOATS, "w").addParameter(FLOATS, "g");
    for (int s = 0; s < param.stateFields().size(); s++) m.addParameter(FLOATS, slotName(s));
    if (needsStepSize()) m.addParameter(float.class, "alpha");
    m.addParameter(int.class, "from").addParameter(int.class, "to");
    m.addStatement("int i = from");
    if (vector) addVectorUpdate(m, param);
    m.beginControlFlow("for (; i < to; i++)");
    if (optimizer instanceof OptimizerSpec.Sgd sgd) {
      String lr = Literals.f(sgd.learningRate());
      if (sgd.momentum() == 0) {
        m.addStatement("w[i] -= g[i] * $L", lr);
      } else {
        String mu = Literals.f(sgd.momentum());
        m.addStatement("float m = s0[i] * $L - g[i] * $L", mu, lr).addStatement("s0[i] = m");
        if (sgd.nesterov()) {
          m.addStatement("w[i] += m * $L - g[i] * $L", mu, lr);
        } else {
          m.addStatement("w[i] += m");
        }
      }
    } else if (optimizer instanceof OptimizerSpec.RmsProp rms) {
      m.addStatement("float gi = g[i]")
          .addStatement("float v = $L * s0[i] + $L * (gi * gi)", Literals.f(rms.rho()), Literals.f(1 - rms.rho()))
          .addStatement("s0[i] = v")
          .addStatement("float increment = $L * gi / (float) Math.sqrt(v + $L)",
              Literals.f(rms.learningRate()), Literals.f(rms.epsilon()));
      if (rms.momentum() == 0) {
        m.addStatement("w[i] -= increment");
      } else {
        m.addStatement("float m = $L * s1[i] + increment", Literals.f(rms.momentum()))
            .addStatement("s1[i] = m")
            .addStatement("w[i] -= m");
      }
    } else {
      OptimizerSpec.Adam adam = (OptimizerSpec.Adam) optimizer;
      m.addStatement("float gi = g[i]")
          .addStatement("float m = s0[i] + (gi - s0[i]) * $L", Literals.f(1 - adam.beta1()))
          .addStatement("float v = s1[i] + (gi * gi - s1[i]) * $L", Literals.f(1 - adam.beta2()))
          .addStatement("s0[i] = m")
          .addStatement("s1[i] = v")
          .addStatement("w[i] -= m * alpha / ((float) Math.sqrt(v) + $L)", Literals.f(adam.epsilon()));
    }
    return m.endControlFlow().build();
  }

  /**
   * The update of whole vectors of parameters, lane by lane exactly as the scalar loop after it
   * (IEEE multiplications, additions, divisions and square roots are the same in lanes and in
   * scalars; no fused multiply-add), so that both kinds of kernels take bit-identical steps.
   */
  private void addVectorUpdate(MethodSpec.Builder m, Param param) {
    ClassName fv = VectorDenseKernels.FLOAT_VECTOR;
    m.beginControlFlow("for (; i + LANES <= to; i += LANES)")
        .addStatement("$T gi = $T.fromArray(SPECIES, g, i)", fv, fv)
        .addStatement("$T wi = $T.fromArray(SPECIES, w, i)", fv, fv);
    if (optimizer instanceof OptimizerSpec.Sgd sgd) {
      String lr = Literals.f(sgd.learningRate());
      if (sgd.momentum() == 0) {
        m.addStatement("wi.sub(gi.mul($L)).intoArray(w, i)", lr);
      } else {
        String mu = Literals.f(sgd.momentum());
        m.addStatement("$T m = $T.fromArray(SPECIES, s0, i).mul($L).sub(gi.mul($L))", fv, fv, mu, lr)
            .addStatement("m.intoArray(s0, i)");
        if (sgd.nesterov()) {
          m.addStatement("wi.add(m.mul($L).sub(gi.mul($L))).intoArray(w, i)", mu, lr);
        } else {
          m.addStatement("wi.add(m).intoArray(w, i)");
        }
      }
    } else if (optimizer instanceof OptimizerSpec.RmsProp rms) {
      m.addStatement("$T v = $T.fromArray(SPECIES, s0, i).mul($L).add(gi.mul(gi).mul($L))",
              fv, fv, Literals.f(rms.rho()), Literals.f(1 - rms.rho()))
          .addStatement("v.intoArray(s0, i)")
          .addStatement("$T increment = gi.mul($L).div(v.add($L).sqrt())", fv, Literals.f(rms.learningRate()), Literals.f(rms.epsilon()));
      if (rms.momentum() == 0) {
        m.addStatement("wi.sub(increment).intoArray(w, i)");
      } else {
        m.addStatement("$T m = $T.fromArray(SPECIES, s1, i).mul($L).add(increment)", fv, fv, Literals.f(rms.momentum()))
            .addStatement("m.intoArray(s1, i)")
            .addStatement("wi.sub(m).intoArray(w, i)");
      }
    } else {
      OptimizerSpec.Adam adam = (OptimizerSpec.Adam) optimizer;
      m.addStatement("$T m0 = $T.fromArray(SPECIES, s0, i)", fv, fv)
          .addStatement("$T v0 = $T.fromArray(SPECIES, s1, i)", fv, fv)
          .addStatement("$T m = m0.add(gi.sub(m0).mul($L))", fv, Literals.f(1 - adam.beta1()))
          .addStatement("$T v = v0.add(gi.mul(gi).sub(v0).mul($L))", fv, Literals.f(1 - adam.beta2()))
          .addStatement("m.intoArray(s0, i)")
          .addStatement("v.intoArray(s1, i)")
          .addStatement("wi.sub(m.mul(alpha).div(v.sqrt().add($L))).intoArray(w, i)", Literals.f(adam.epsilon()));
    }
    m.endControlFlow();
  }

  /** Slot parameters are s0, s1 in the order of {@link Param#stateFields()}. */
  private static String slotName(int slot) {
    return "s" + slot;
  }
}
