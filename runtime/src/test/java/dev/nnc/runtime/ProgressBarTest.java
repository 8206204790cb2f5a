package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final String BAR = "━".repeat(20);
  private static final String NL = System.lineSeparator();

  /** A clock that moves 10 ms each time it is read. */
  private static LongSupplier ticking() {
    long[] now = {0};
    return () -> (now[0] += 10_000_000L) - 10_000_000L;
  }

  /** Ten samples, labels with three 0s; learning rate 0 so the loss stays ln 3 and argmax stays 0. */
  private static String fit(FitOptions.Display display, int epochs, boolean validate, boolean accuracy) {
    SoftmaxRegression model = new SoftmaxRegression(1, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    Dataset data = Dataset.of(new float[10], 1, new float[] {0, 1, 2, 1, 0, 1, 2, 1, 0, 2}, 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    FitOptions options = new FitOptions(epochs, 4, 1, false, true,
        accuracy ? java.util.List.of("accuracy") : java.util.List.of(), display);
    Trainer.fit(model, data, validate ? data : null, options, out, ticking());
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsOneLinePerEpochWhenNotATerminal() {
    String line = "3/3 " + BAR + " 0s 15ms/step - accuracy: 0.3000 - loss: 1.0986 - val_accuracy: 0.3000 - val_loss: 1.0986";
    assertEquals("Epoch 1/2" + NL + line + NL + "Epoch 2/2" + NL + line + NL,
        fit(FitOptions.Display.PER_EPOCH, 2, true, true));
  }

  @Test
  void leavesAccuracyOutWhenNotRequested() {
    assertEquals("Epoch 1/1" + NL + "3/3 " + BAR + " 0s 15ms/step - loss: 1.0986" + NL,
        fit(FitOptions.Display.PER_EPOCH, 1, false, false));
  }

  @Test
  void rewritesOneLiveLineAtMostTenTimesASecond() {
    // steps 2 and 3 come 10 ms after step 1, too soon to redraw; the epoch's end always is
    String first = "1/3 ━━━━━━\u001b[2m" + "─".repeat(14) + "\u001b[0m 0s 10ms/step - accuracy: 0.2500 - loss: 1.0986";
    String last = "3/3 " + BAR + " 0s 15ms/step - accuracy: 0.3000 - loss: 1.0986";
    assertEquals("Epoch 1/1" + NL + "\r" + first + "\r" + last + NL, fit(FitOptions.Display.LIVE, 1, false, true));
  }

  @Test
  void padsAShorterLineOverALongerOne() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, true, ticking());
    bar.startEpoch(1, 1, 2);
    Map<String, Double> longer = new LinkedHashMap<>();
    longer.put("loss", 12345.5);
    bar.step(1, () -> longer);
    bar.endEpoch(Map.of("loss", 0.5));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\r");
    assertEquals("1/2 ━━━━━━━━━━\u001b[2m──────────\u001b[0m 0s 10ms/step - loss: 12345.5000", lines[1]);
    assertEquals("2/2 " + BAR + " 0s 10ms/step - loss: 0.5000" + "    " + NL, lines[2]);
  }

  @Test
  void formatsLikeKeras() {
    assertEquals("4ms/step", ProgressBar.perStep(0.0042));
    assertEquals("512us/step", ProgressBar.perStep(0.000512));
    assertEquals("2s/step", ProgressBar.perStep(2.2));
    assertEquals("0s/step", ProgressBar.perStep(0));
    assertEquals("0.9254", ProgressBar.value(0.92544));
    assertEquals("1.0000e-04", ProgressBar.value(0.0001));
    assertEquals(" 57/469 ━━\u001b[2m" + "─".repeat(18) + "\u001b[0m 1:13 4ms/step - loss: 0.2636",
        ProgressBar.format(57, 469, false, 73.9, 0.004, Map.of("loss", 0.26359), true));
    assertEquals("469/469 " + BAR + " 2s 4ms/step - loss: 0.2636",
        ProgressBar.format(469, 469, true, 2.2, 0.004, Map.of("loss", 0.26359), false));
    assertEquals("1/9 ━━\u001b[2m" + "─".repeat(18) + "\u001b[0m 1:00:01 1s/step",
        ProgressBar.format(1, 9, false, 3601, 1, Map.of(), true));
  }
}
