package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callbacks driven epoch by epoch with scripted values, against traces worked by hand from
 * Keras 3's callbacks: which epoch stops, which weights come back, the learning rate each epoch,
 * and the lines printed.
 */
class CallbackTracesTest {
  @TempDir Path dir;

  /** Runs {@code callback} over epochs whose monitored value is {@code values[e]}; the model's bias is set to e first. */
  private static final class Run implements FitCallback.Fit {
    final SoftmaxRegression model = new SoftmaxRegression(1, 2, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.01f);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final List<Float> rates = new ArrayList<>();
    boolean stop;
    int epochsRun;

    @Override public Model model() { return model; }
    @Override public PrintStream out() { return out; }
    @Override public void stopTraining() { stop = true; }

    Run go(FitCallback callback, String monitor, double... values) {
      callback.onTrainBegin(this);
      Map<String, Double> logs = Map.of();
      for (int e = 0; e < values.length && !stop; e++) {
        model.bias[0] = e; // marks the weights "of epoch e"
        rates.add(model.learningRate());
        logs = new LinkedHashMap<>(Map.of(monitor, values[e]));
        callback.onEpochEnd(e, logs);
        epochsRun++;
      }
      callback.onTrainEnd(logs);
      return this;
    }

    String printed() {
      return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
  }

  @Test
  void earlyStoppingStopsWhenTheWaitReachesThePatienceAndRestoresTheBest() {
    // Keras: e0 best 0.5; e1 best 0.4 (wait 0); e2 wait 1; e3 wait 2 >= 2: stop at epoch index 3, best epoch 1.
    EarlyStopping stopping = EarlyStopping.of("val_loss", 2, true);
    Run run = new Run().go(stopping, "val_loss", 0.5, 0.4, 0.45, 0.41, 0.3, 0.2);
    assertEquals(4, run.epochsRun);
    assertEquals(3, stopping.stoppedEpoch());
    assertEquals(1f, run.model.bias[0], "the weights of epoch index 1 came back");
    assertEquals("Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n", run.printed());
  }

  @Test
  void earlyStoppingRestoresTheBestAlsoWhenTheEpochsRunOut() {
    // Keras 3 restores in on_train_end whenever it kept best weights, stopped or not.
    EarlyStopping stopping = EarlyStopping.of("val_loss", 2, true);
    Run run = new Run().go(stopping, "val_loss", 0.5, 0.4, 0.45);
    assertEquals(3, run.epochsRun);
    assertEquals(0, stopping.stoppedEpoch());
    assertEquals(1f, run.model.bias[0], "the weights of the best epoch, index 1");
    assertEquals("Restoring model weights from the end of the best epoch: 2.\n", run.printed());
  }

  @Test
  void earlyStoppingWithPatienceZeroNeverStopsAtTheFirstEpoch() {
    // e0 is always an improvement; e1 worse: wait 1 >= 0 and epoch > 0: stop at index 1.
    EarlyStopping stopping = EarlyStopping.of("loss", 0, false);
    Run run = new Run().go(stopping, "loss", 0.5, 0.6, 0.1);
    assertEquals(2, run.epochsRun);
    assertEquals(1f, run.model.bias[0], "without restore_best_weights the last weights stay");
    assertEquals("Epoch 2: early stopping\n", run.printed());
  }

  @Test
  void earlyStoppingMinDeltaBaselineAndStartFromEpoch() {
    // min_delta 0.1: 0.45 is no improvement on 0.5 (wait 1), 0.35 is (wait 0), 0.3 is not (wait 1), 0.28 not (wait 2): stop at 4.
    EarlyStopping delta = new EarlyStopping("val_loss", 0.1, 2, true, Monitor.AUTO, null, false, 0);
    assertEquals(5, new Run().go(delta, "val_loss", 0.5, 0.45, 0.35, 0.3, 0.28, 0.1).epochsRun);
    // baseline 0.3 never beaten: improvements do not reset the wait (1 after e0, 2 after e1), e1 worse: stop at index 1.
    EarlyStopping baseline = new EarlyStopping("val_loss", 0, 2, true, Monitor.AUTO, 0.3, false, 0);
    assertEquals(2, new Run().go(baseline, "val_loss", 0.5, 0.6, 0.1).epochsRun);
    // ... but while each epoch improves on the best, it never stops, baseline or not.
    EarlyStopping improving = new EarlyStopping("val_loss", 0, 1, true, Monitor.AUTO, 0.01, false, 0);
    assertEquals(5, new Run().go(improving, "val_loss", 0.5, 0.4, 0.3, 0.2, 0.1).epochsRun);
    // start_from_epoch 2: epochs 0 and 1 are not counted; e2 is the first best, e3 and e4 worse: stop at 4.
    EarlyStopping late = new EarlyStopping("val_loss", 0, 2, true, Monitor.AUTO, null, true, 2);
    Run run = new Run().go(late, "val_loss", 0.1, 0.9, 0.5, 0.6, 0.7, 0.1);
    assertEquals(5, run.epochsRun);
    assertEquals(2f, run.model.bias[0]);
    // accuracy goes up under auto
    EarlyStopping accuracy = EarlyStopping.of("val_accuracy", 1, false);
    assertEquals(3, new Run().go(accuracy, "val_accuracy", 0.5, 0.9, 0.8, 0.95).epochsRun);
  }

  @Test
  void reduceLrOnPlateauWithCooldownAndMinLr() {
    // lr 0.01, factor 0.5, patience 1, cooldown 1, min_lr 0.002, flat loss. e0: best. e1: wait 1: 0.005.
    // e2: cooldown ends (wait 0), wait 1: 0.0025. e3: likewise: max(0.00125, 0.002) = 0.002. e4, e5: at min_lr, no change.
    ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_loss", 0.5, 1, true, Monitor.AUTO, 1e-4, 1, 0.002);
    Run run = new Run().go(plateau, "val_loss", 1, 1, 1, 1, 1, 1);
    assertEquals(List.of(0.01f, 0.01f, 0.005f, 0.0025f, 0.002f, 0.002f), run.rates);
    assertEquals("""
        Epoch 2: ReduceLROnPlateau reducing learning rate to 0.004999999888241291.
        Epoch 3: ReduceLROnPlateau reducing learning rate to 0.0024999999441206455.
        Epoch 4: ReduceLROnPlateau reducing learning rate to 0.002.
        """, run.printed());
  }

  @Test
  void reduceLrOnPlateauCountsOnlyImprovementsBeyondMinDelta() {
    // min_delta 1e-4: 0.99995 is no improvement on 1.0; patience 2: e1 wait 1, e2 wait 2: reduce; e3 improves.
    ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_loss", 0.1, 2, false, Monitor.AUTO, 1e-4, 0, 0);
    Run run = new Run().go(plateau, "val_loss", 1.0, 0.99995, 0.99999, 0.5, 0.6);
    assertEquals(List.of(0.01f, 0.01f, 0.01f, (float) (0.01f * 0.1), (float) (0.01f * 0.1)), run.rates);
    assertEquals("", run.printed(), "verbose off");
  }

  @Test
  void modelCheckpointSavesOnlyImprovementsWithKerasLines() throws Exception {
    Path best = dir.resolve("best.npz");
    Run run = new Run().go(new ModelCheckpoint(best, "val_loss", true, Monitor.AUTO), "val_loss", 0.5, 0.6, 0.4, 0.4);
    assertEquals("Epoch 1: val_loss improved from inf to 0.50000, saving model to " + best + "\n"
        + "Epoch 2: val_loss did not improve from 0.50000\n"
        + "Epoch 3: val_loss improved from 0.50000 to 0.40000, saving model to " + best + "\n"
        + "Epoch 4: val_loss did not improve from 0.40000\n", run.printed());
    assertArrayEquals(new float[] {2f, 0f}, Npz.read(best).get("dense_1/bias").data(), "the weights of epoch index 2");
  }

  @Test
  void schedulesFollowKerasFormulas() {
    LearningRateSchedule exp = LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, false);
    assertEquals(0.1f, exp.at(0));
    assertEquals(0.05f, exp.at(10));
    assertEquals(0.1f * (float) Math.sqrt(0.5), exp.at(5), 1e-8);
    assertEquals(0.1f, LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, true).at(9));
    assertEquals(0.05f, LearningRateSchedule.exponentialDecay(0.1, 10, 0.5, true).at(19));

    LearningRateSchedule piecewise = LearningRateSchedule.piecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 0.5, 0.1});
    assertEquals(List.of(1f, 1f, 0.5f, 0.5f, 0.1f), List.of(piecewise.at(0), piecewise.at(10), piecewise.at(11),
        piecewise.at(20), piecewise.at(21)));

    LearningRateSchedule cosine = LearningRateSchedule.cosineDecay(1.0, 10, 0.1, Double.NaN, 0);
    assertEquals(1f, cosine.at(0));
    assertEquals(0.55f, cosine.at(5), 1e-7);
    assertEquals(0.1f, cosine.at(10), 1e-7);
    assertEquals(0.1f, cosine.at(1000), 1e-7, "held after decay_steps");

    LearningRateSchedule warm = LearningRateSchedule.cosineDecay(0.0, 10, 0, 1.0, 5);
    assertEquals(0f, warm.at(0));
    assertEquals(0.4f, warm.at(2), 1e-7);
    assertEquals(1f, warm.at(5), 1e-7);
    assertEquals(0.5f, warm.at(10), 1e-7);
    assertEquals(0f, warm.at(15), 1e-7);
    assertEquals(0f, warm.at(99), 1e-7);
  }

  @Test
  void fitSetsTheScheduledRateBeforeEachStepAndLogsIt() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 64, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    model.initialize(1);
    List<Float> seen = new ArrayList<>();
    LearningRateSchedule schedule = step -> 1f / (step + 1);
    FitCallback recorder = new FitCallback() {
      @Override public void onEpochEnd(int epoch) { seen.add(model.learningRate()); }
    };
    FitOptions options = new FitOptions(2, 50, 1, true, false, List.of("accuracy"), FitOptions.Display.PER_EPOCH).withSchedule(schedule);
    History h = Trainer.fit(model, TrainerTest.clusters(150, 1), null, options, new PrintStream(ByteArrayOutputStream.nullOutputStream()), recorder);
    // 3 steps an epoch: epoch 1 trains at 1, 1/2, 1/3 and ends at 1/3; the log is the next step's rate, 1/4.
    assertEquals(List.of(1f / 3, 1f / 6), seen);
    assertEquals(List.of((double) (1f / 4), (double) (1f / 7)), h.asMap().get("learning_rate"));
    assertTrue(h.toCsv().startsWith("epoch,accuracy,learning_rate,loss\r\n"), h.toCsv());
  }

  @Test
  void validationSplitTakesTheLastSamplesBeforeShuffling() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 16, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    Dataset data = TrainerTest.clusters(100, 1);
    for (int i = 0; i < 100; i++) data.features()[2 * i] = i; // a sample id, which trainStep records
    FitOptions options = new FitOptions(2, 16, 1, true, false, List.of("accuracy"), FitOptions.Display.PER_EPOCH).withValidationSplit(0.25);
    History h = Trainer.fit(model, data, null, options, new PrintStream(ByteArrayOutputStream.nullOutputStream()));
    assertEquals(150, model.firstFeatures.size(), "75 samples a epoch");
    assertTrue(model.firstFeatures.stream().allMatch(id -> id < 75), "never the last 25");
    assertEquals(2, h.valLoss().size());
  }
}
