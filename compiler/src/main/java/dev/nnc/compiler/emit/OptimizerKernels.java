package dev.nnc.compiler.emit;

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

  OptimizerKernels(OptimizerSpec optimizer) {
    this.optimizer = optimizer;
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

  /** {@code (float[] w, float[] g, state..., [float alpha])}: the update of one tensor. */
  MethodSpec update(Param param, String name) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(FLOATS, "w").addParameter(FLOATS, "g");
    for (int s = 0; s < param.stateFields().size(); s++) m.addParameter(FLOATS, slotName(s));
    if (needsStepSize()) m.addParameter(float.class, "alpha");
    m.beginControlFlow("for (int i = 0; i < $L; i++)", param.size());
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

  /** Slot parameters are s0, s1 in the order of {@link Param#stateFields()}. */
  private static String slotName(int slot) {
    return "s" + slot;
  }
}
