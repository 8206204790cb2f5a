package org.acme.app;

import org.acme.nets.IrisModel;
import org.acme.nets.WineModel;

/** Compiles only if the custom output folder became a source root and the package was applied. */
public final class Use {
  private Use() {}

  public static int outputs() {
    return new IrisModel().outputSize() + new WineModel().outputSize();
  }
}
