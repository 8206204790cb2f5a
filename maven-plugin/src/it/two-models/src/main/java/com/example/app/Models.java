package com.example.app;

import com.example.iris.IrisModel;
import com.example.xor.XorModel;
import dev.nnc.runtime.Model;
import java.util.List;

/** Uses both generated classes, so the build only passes if they were generated and are on the source path. */
public final class Models {
  private Models() {}

  public static List<Model> all() {
    return List.of(new IrisModel(), new XorModel());
  }
}
