package demo.app;

import demo.IrisPredictor;

/** The project's own code uses the generated predictor like any class. */
public final class Classify {
  private Classify() {}

  public static int species(float sepalLength, float sepalWidth, float petalLength, float petalWidth) {
    return new IrisPredictor().predictClass(new float[] {sepalLength, sepalWidth, petalLength, petalWidth});
  }
}
