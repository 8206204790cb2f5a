package dev.nnc.bench;

import dev.nnc.runtime.Dataset;

/** MNIST's images as the bytes they were stored as, for the benchmarks of the byte batches training takes. */
final class MnistBytes {
  private MnistBytes() {}

  /** Each sample's 784 pixels as bytes 0-255 (the dataset holds them divided by 255). */
  static byte[] features(Dataset train) {
    byte[] features = new byte[train.size() * 784];
    for (int s = 0; s < train.size(); s++) {
      for (int k = 0; k < 784; k++) features[s * 784 + k] = (byte) Math.round(train.feature(s, k) * 255f);
    }
    return features;
  }

  /** What each byte stands for: {@code b / 255}. */
  static float[] byteValues() {
    float[] byteValues = new float[256];
    for (int b = 0; b < 256; b++) byteValues[b] = b / 255f;
    return byteValues;
  }
}
