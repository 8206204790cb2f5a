package demo.app;

/** Depends on the generated classes, so javac would have to recompile it if they changed. */
public final class Use {
  private Use() {}

  public static int outputs() {
    return new demo.IrisModel().outputSize() + new demo.WineModel().outputSize();
  }
}
