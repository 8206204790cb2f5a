package dev.nnc.cli;

import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.diag.Suggestions;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.TrainSpec;
import dev.nnc.runtime.ConfusionMatrix;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.History;
import dev.nnc.runtime.JitWarmUp;
import dev.nnc.runtime.LossKind;
import dev.nnc.runtime.Metric;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyType;
import dev.nnc.runtime.PackedPairs;
import dev.nnc.runtime.Trainer;
import dev.nnc.runtime.TrainingReport;
import dev.nnc.runtime.TrainingDivergedException;
import dev.nnc.runtime.AtomicFile;
import dev.nnc.runtime.Weights;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import dev.nnc.runtime.EarlyStopping;
import dev.nnc.runtime.FitCallback;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.ModelCheckpoint;
import dev.nnc.runtime.Monitor;
import dev.nnc.runtime.ReduceLROnPlateau;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc train FILE.nn ...}: compiles the model in memory, trains it with Keras-style progress,
 * then reports the test set's accuracy and loss and saves weights and history if asked.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    customSynopsis = {
        "nnc train FILE.nn [--data DIR | --x X.npy --y Y.npy] [--test-x X.npy --test-y Y.npy] [--no-scale]",
        "          [--epochs N] [--batch N] [--seed S] [--no-shuffle]",
        "          [--validation-split F | --val-x X.npy --val-y Y.npy] [--test-each-epoch]",
        "          [--early-stopping P] [--monitor NAME] [--min-delta D] [--no-restore-best-weights]",
        "          [--reduce-lr-on-plateau P] [--lr-factor F] [--min-lr LR] [--lr-schedule SCHEDULE]",
        "          [--save-best W.npz] [--checkpoint C.npz] [--resume C.npz] [--no-terminate-on-nan]",
        "          [--init W.npz] [--save W.npz] [--history H.csv] [--kernels vector|scalar] [--threads N] [--timings]",
        "          [--metrics NAME,...] [--report RUN.html]"},
    description = {
        "Compiles a model in memory and trains it, printing Keras-style progress.",
        "With MNIST (--data or the default) or --test-x/--test-y, the test set is evaluated once after training "
            + "(and after every epoch as val_* with --test-each-epoch).",
        "Validation (val_*) comes from --validation-split or --val-x/--val-y; the output says which set it is.",
        "Epochs, batch size, seed, validation_split, early_stopping and reduce_lr_on_plateau default to the model's "
            + "train statement.",
        "On Ctrl-C, training stops after the current step and writes what was asked for (--save, --history)."})
final class TrainCommand extends NncSubcommand {

  @Parameters(paramLabel = "FILE.nn", description = "The model file.")
  Path file;

  @Mixin
  DataOptions data;

  @Option(names = "--epochs", paramLabel = "N", order = 20, description = "Passes over the training data.")
  Integer epochs;

  @Option(names = "--batch", paramLabel = "N", order = 21, description = "Samples per training step.")
  Integer batchSize;

  @Mixin
  KernelsOption kernels = new KernelsOption();

  @Option(names = "--seed", paramLabel = "S", order = 22, description = "Seeds the initial weights and the shuffling.")
  Long seed;

  @Option(names = "--no-shuffle", order = 23, description = "Keep the samples in their order (Keras' shuffle=False).")
  boolean noShuffle;

  @Option(names = "--init", paramLabel = "W.npz", order = 24,
      description = "Start from these weights (as --save writes them) instead of fresh ones.")
  Path initialWeights;

  @Option(names = "--save", paramLabel = "W.npz", order = 25,
      description = "Write the trained weights here (NumPy .npz, Keras names and layout).")
  Path savedWeights;

  @Option(names = "--history", paramLabel = "H.csv", order = 26,
      description = "Write the per-epoch metrics here, as Keras' CSVLogger.")
  Path history;

  @Option(names = "--validation-split", paramLabel = "F", order = 30,
      description = "Keras' validation_split: the last F of the training samples, cut before shuffling, are never "
          + "trained on and are evaluated after every epoch as val_*.")
  Double validationSplit;

  @Option(names = "--test-each-epoch", order = 31,
      description = "Evaluate the test set after every epoch too, as val_* (Keras' validation_data).")
  boolean testEachEpoch;

  @Option(names = "--early-stopping", paramLabel = "P", order = 32,
      description = "Keras' EarlyStopping: stop when --monitor has not improved for P epochs.")
  Integer earlyStopping;

  @Option(names = "--monitor", paramLabel = "NAME", order = 33,
      description = "The quantity --early-stopping, --reduce-lr-on-plateau and --save-best watch: val_loss (the "
          + "default with validation data; loss without), val_accuracy, loss, accuracy.")
  String monitor;

  @Option(names = "--min-delta", paramLabel = "D", order = 34,
      description = "EarlyStopping's min_delta: smaller changes count as no improvement (default 0).")
  Double minDelta;

  @Option(names = "--no-restore-best-weights", order = 35,
      description = "On early stopping, keep the last weights (by default those of the best epoch are restored).")
  boolean noRestoreBestWeights;

  @Option(names = "--reduce-lr-on-plateau", paramLabel = "P", order = 36,
      description = "Keras' ReduceLROnPlateau: multiply the learning rate by --lr-factor when --monitor has not "
          + "improved for P epochs.")
  Integer reduceLrOnPlateau;

  @Option(names = "--lr-factor", paramLabel = "F", order = 37, description = "ReduceLROnPlateau's factor (default 0.1).")
  Double lrFactor;

  @Option(names = "--min-lr", paramLabel = "LR", order = 38, description = "ReduceLROnPlateau's min_lr (default 0).")
  Double minLr;

  @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", order = 39,
      description = "A keras.optimizers.schedules schedule of the learning rate per step: "
          + "exponential_decay(decay_steps=N, decay_rate=R[, staircase=true]), "
          + "piecewise_constant_decay(boundaries=[B,...], values=[V,...]), "
          + "cosine_decay(decay_steps=N[, alpha=A][, warmup_target=LR, warmup_steps=N]); "
          + "initial_learning_rate defaults to the optimizer's.")
  String lrSchedule;

  @Option(names = "--save-best", paramLabel = "W.npz", order = 40,
      description = "Keras' ModelCheckpoint(save_best_only=True): write the weights after every epoch that "
          + "improves --monitor.")
  Path saveBest;

  @Option(names = "--checkpoint", paramLabel = "C.npz", order = 41,
      description = "Write the whole training state after every epoch (weights, optimizer state, step count, epoch, "
          + "learning rate, callbacks, history, generators), for --resume.")
  Path checkpoint;

  @Option(names = "--resume", paramLabel = "C.npz", order = 42,
      description = "Continue the run that --checkpoint wrote; --epochs counts the run's total.")
  Path resume;

  @Option(names = "--no-terminate-on-nan", order = 43,
      description = "Keep training when a step's loss is NaN or infinite (Keras' TerminateOnNaN is on by default).")
  boolean noTerminateOnNaN;

  @Option(names = "--timings", order = 27,
      description = "Print to stderr how long start-up, data loading and each epoch took.")
  boolean timings;

  @Option(names = "--metrics", paramLabel = "NAME[,NAME...]", split = ",", order = 28,
      description = "Track these metrics instead of the model's metrics statement, by Keras' names: accuracy, mae, mse, "
          + "precision, recall, auc, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy; "
          + "--metrics= for the loss alone.")
  List<String> metrics;

  @Option(names = "--report", paramLabel = "RUN.html", order = 29,
      description = "Write a training report here: one self-contained HTML page with the loss and metrics per epoch, "
          + "the confusion matrix on the validation data (else the test set), per-class precision, recall and F1, timing, and how to reproduce the run.")
  Path report;

  /** The metrics to track, from --metrics or the model's source. */
  private List<String> chosenMetrics = List.of();

  @Override
  int run() {
    validate();
    PrintStream progress = WriterOutputStream.printStream(out());
    PrintStream log = WriterOutputStream.printStream(err());
    Timings clock = new Timings(timings);
    clock.now("JVM start to the command line parsed");

    OptionalInt batchOption = batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize);
    ClassCache cache = ClassCache.forUser();
    // When the cache remembers which classes this very file compiled to, load them and start their JIT warm-up
    // while the file is checked; they are used only if the checked file's Java has the same class key.
    CompileOptions compileOptions = GeneratedModel.options(batchOption, kernels.chosen());
    Background<Optional<EarlyStart>> early = startedByMain()
        .orElseGet(() -> Background.start("nnc-early-classes",
            () -> LoadedModel.early(file, compileOptions, cache).map(this::warmUp)));

    long started = Timings.start();
    Optional<GeneratedModel> generated = GeneratedModel.check(file, batchOption, kernels.chosen(), err());
    if (generated.isEmpty()) {
      early.join().ifPresent(EarlyStart::abandon);
      return ExitCodes.INPUT_ERROR;
    }
    clock.took("model read and checked", started);
    try {
      data.requireFeatures(generated.get().checked().inputSize(), generated.get().checked().name());
      chosenMetrics = chosenMetrics(generated.get().checked());
    } catch (RuntimeException doesNotFit) {
      early.join().ifPresent(EarlyStart::abandon);
      throw doesNotFit;
    }

    // The model is good: read the data in the background while its classes load and the JIT warms up. All data
    // are read before training, so that a bad test file fails now rather than after the first epoch.
    long dataStarted = Timings.start();
    Background<TrainingData> reading = Background.start("nnc-data", () -> {
      TrainingData read = new TrainingData(data.training(log), data.test(log), data.validation(log));
      clock.took("data read (in the background)", dataStarted);
      return read;
    });
    Optional<EarlyStart> earlyStart = Optional.empty();
    JitWarmUp warmUp = null;
    try {
      started = Timings.start();
      earlyStart = early.join();
      LoadedModel loaded = LoadedModel.load(generated.get(), cache, earlyStart.map(EarlyStart::classes));
      clock.took("model classes " + loaded.origin(), started);
      Model model = loaded.model();
      model.useThreads(kernels.threads());
      if (earlyStart.isPresent() && earlyStart.get().classes().type() == loaded.type()) {
        warmUp = earlyStart.get().warmUp();
        earlyStart = Optional.empty(); // in use
      } else {
        warmUp = warmUp(model, loaded::newInstance);
      }
      if (model.takesPackedPairs()) {
        // The data as the pairs of features the model trains on, made once they are read, while the JIT warms up. A
        // failure shows again where training asks for them.
        Background.start("nnc-pairs", () -> {
          TrainingData read = reading.join();
          long pairsStarted = Timings.start();
          read.train().packedPairs();
          read.validation().ifPresent(Dataset::packedPairs);
          read.test().ifPresent(Dataset::packedPairs);
          clock.took("data as pairs of features (in the background)", pairsStarted);
          return read;
        });
      }
      TrainSpec defaults = loaded.checked().train();
      int batch = batchSize != null ? batchSize : defaults.batch();
      int epochCount = epochs != null ? epochs : defaults.epochs();
      long effectiveSeed = seed != null ? seed : defaults.seed();
      // A new instance is initialized from the source's seed already: drawing its 400,000 weights again took the
      // MNIST example 20-30 ms before its first step, as the interpreter runs that loop at first.
      if (effectiveSeed != model.defaultSeed()) model.initialize(effectiveSeed);
      if (initialWeights != null) UserError.whileLoading(initialWeights.toString(), () -> Weights.load(model, initialWeights));

      TrainingData read = reading.join();
      if (warmUp != null) {
        JitWarmUp.Result warm = warmUp.finish();
        warmUp = null;
        clock.record("JIT warm-up: " + warm.steps() + " steps on random data (in the background)"
            + (warm.failure() == null ? "" : ", failed: " + warm.failure()), warm.nanos());
      }
      return train(loaded, model, read, epochCount, batch, effectiveSeed, progress, clock);
    } finally {
      if (warmUp != null) warmUp.abandon();
      earlyStart.ifPresent(EarlyStart::abandon);
      reading.cancel();
    }
  }

  /**
   * What {@link #startEarly} began for the command line {@code main} was given: the model file and the
   * options it read from the arguments (null where not given), and its early classes and their warm-up.
   */
  private record MainStart(Path file, Integer batch, Integer epochs, Kernels kernels, Integer threads, Path x,
      Background<Optional<EarlyStart>> early) {}

  private static final AtomicReference<MainStart> STARTED_BY_MAIN = new AtomicReference<>();

  /** The options that change the model's classes or its warm-up, whose values startEarly reads itself. */
  private static final List<String> OPTIONS_EARLY_START_READS = List.of("--batch", "--epochs", "--kernels", "--threads", "--x");

  /** With any of these, main starts nothing. */
  private static final List<String> OPTIONS_THAT_TRAIN_NOTHING = List.of("--help", "-h", "--version", "-V");

  /**
   * Starts, for {@code nnc train FILE.nn ...}, what {@link #run} would start once picocli has read the
   * command line: loading the classes the cache remembers for the file, and their JIT warm-up. Reading
   * this command's annotations takes picocli 60-80 ms, which the warm-up (the longest part before the
   * first step) no longer waits for. Only a guess from the raw arguments, with the options that change
   * the classes or the warm-up read as picocli reads them ({@code --batch 64} or {@code --batch=64}):
   * {@code run} takes it only for the file and options it parsed itself, and otherwise abandons it.
   * Anything unclear (two model files, an option twice, a value that is no number) starts nothing.
   */
  static void startEarly(String... args) {
    if (args.length < 2 || !args[0].equals("train")) return;
    Path model = null;
    Map<String, String> values = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (OPTIONS_THAT_TRAIN_NOTHING.contains(arg)) return;
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      if (OPTIONS_EARLY_START_READS.contains(name)) {
        String value = equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.length ? args[++i] : null;
        if (value == null || values.put(name, value) != null) return;
      } else if (!arg.startsWith("-") && arg.endsWith(".nn")) {
        if (model != null) return; // two candidates: leave the choice to picocli
        try {
          model = Path.of(arg);
        } catch (InvalidPathException e) {
          return;
        }
      }
    }
    if (model == null) return;
    Integer batch;
    Integer epochs;
    Path x;
    KernelsOption kernels = new KernelsOption();
    try {
      x = values.containsKey("--x") ? Path.of(values.get("--x")) : null;
      batch = intOrNull(values.get("--batch"));
      epochs = intOrNull(values.get("--epochs"));
      kernels.threads = intOrNull(values.get("--threads"));
      String kind = values.get("--kernels");
      kernels.kernels = kind == null ? null : Kernels.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException notAsPicocliReadsIt) {
      return;
    }
    if ((batch != null && batch < 1) || (epochs != null && epochs < 0) || kernels.problem() != null) return;
    Path file = model;
    int threads = kernels.threads();
    CompileOptions options = GeneratedModel.options(batch == null ? OptionalInt.empty() : OptionalInt.of(batch),
        kernels.chosen());
    STARTED_BY_MAIN.set(new MainStart(file, batch, epochs, kernels.kernels, kernels.threads, x,
        Background.start("nnc-early-classes", () -> LoadedModel.early(file, options, ClassCache.forUser())
            .map(classes -> new EarlyStart(classes, warmUp(classes.model(), classes::model, epochs, batch, threads,
                featuresOf(x)))))));
  }

  private static Integer intOrNull(String value) {
    return value == null ? null : Integer.valueOf(value);
  }

  /** Whether {@link #startEarly} started something that no run has taken yet (for tests). */
  static boolean earlyStartPending() {
    return STARTED_BY_MAIN.get() != null;
  }

  /** main's early start, if it made one for this very file and options; any other is abandoned. */
  private Optional<Background<Optional<EarlyStart>>> startedByMain() {
    MainStart started = STARTED_BY_MAIN.getAndSet(null);
    if (started == null) return Optional.empty();
    boolean same = started.file().equals(file) && Objects.equals(started.batch(), batchSize)
        && Objects.equals(started.epochs(), epochs) && started.kernels() == kernels.kernels
        && Objects.equals(started.threads(), kernels.threads) && Objects.equals(started.x(), data.x);
    if (same) return Optional.of(started.early());
    Background.start("nnc-early-abandoned", () -> {
      started.early().join().ifPresent(EarlyStart::abandon);
      return null;
    });
    return Optional.empty();
  }

  /** Early classes, and their warm-up if one was started. */
  private record EarlyStart(LoadedModel.Early classes, JitWarmUp warmUp) {
    void abandon() {
      if (warmUp != null) warmUp.abandon();
    }
  }

  /**
   * The warm-up on the early classes' own instance: making one for it (drawing its initial weights) held
   * the MNIST example's warm-up back by 20-30 ms.
   */
  private EarlyStart warmUp(LoadedModel.Early classes) {
    return new EarlyStart(classes, warmUp(classes.model(), classes::model));
  }

  /**
   * Starts the JIT warm-up for {@code model}'s class when training will run epochs (as many as
   * {@code --epochs} or the model's train statement says), with batches as training will use.
   */
  private JitWarmUp warmUp(Model model, java.util.function.Supplier<Model> newInstance) {
    return warmUp(model, newInstance, epochs, batchSize, kernels.threads(), featuresOf(data.x));
  }

  /** The warm-up for {@code --epochs}, {@code --batch} (either null when not given), threads and the data's features. */
  private static JitWarmUp warmUp(Model model, java.util.function.Supplier<Model> newInstance, Integer epochs,
      Integer batchSize, int threads, JitWarmUp.Features features) {
    int epochCount = epochs != null ? epochs : model.defaultEpochs();
    if (epochCount == 0) return null;
    return JitWarmUp.start(model, newInstance, batchSize != null ? batchSize : model.defaultBatchSize(), threads, features);
  }

  /**
   * How the training features of {@code --x} (null: MNIST's files) reach the model: as bytes when
   * they are {@code uint8}, else as floats. Only the header is read; a file that cannot be read is
   * taken as bytes here, and reported when the data are read.
   */
  static JitWarmUp.Features featuresOf(Path x) {
    if (x == null) return JitWarmUp.Features.BYTES;
    try {
      return Npy.readType(x) == NpyType.UINT8 ? JitWarmUp.Features.BYTES : JitWarmUp.Features.FLOATS;
    } catch (RuntimeException unreadable) {
      return JitWarmUp.Features.BYTES;
    }
  }

  /** The training and test sets, as read in the background. */
  private record TrainingData(Dataset train, Optional<Dataset> test, Optional<Dataset> validation) {}

  private int train(LoadedModel loaded, Model model, TrainingData read, int epochCount, int batch, long effectiveSeed,
      PrintStream progress, Timings clock) {
    Dataset train = read.train();
    Optional<Dataset> test = read.test();
    TrainSpec defaults = loaded.checked().train();
    double split = validationSplit != null ? validationSplit : defaults.validationSplit();
    Optional<Dataset> validation = read.validation();
    String validationSource = null;
    if (split > 0 && validation.isPresent()) {
      throw usageError("--validation-split and --val-x/--val-y are alternatives; give one");
    }
    if (split > 0) {
      int at = (int) Math.floor(train.size() * (1.0 - split));
      validationSource = "the last " + (train.size() - at) + " of " + train.size() + " training samples (validation_split "
          + split + "), not trained on";
    } else if (validation.isPresent()) {
      validationSource = validation.get().description();
    } else if (testEachEpoch && test.isPresent()) {
      validation = test;
      validationSource = "the test set, " + test.get().description();
    } else if (testEachEpoch) {
      throw usageError("--test-each-epoch needs a test set (--data, or --test-x/--test-y)");
    }
    boolean hasValidation = validationSource != null;
    String watched = monitor != null ? monitor : hasValidation ? "val_loss" : "loss";
    if (watched.startsWith("val_") && !hasValidation) {
      throw usageError("--monitor " + watched + " needs validation data: --validation-split F, --val-x/--val-y, "
          + "or --test-each-epoch");
    }
    List<FitCallback> callbacks = new ArrayList<>();
    int patience = earlyStopping != null ? earlyStopping : defaults.earlyStopping();
    if (patience >= 0) {
      callbacks.add(new EarlyStopping(watched, minDelta != null ? minDelta : 0, patience, true, Monitor.AUTO, null,
          !noRestoreBestWeights, 0));
    }
    int plateau = reduceLrOnPlateau != null ? reduceLrOnPlateau : defaults.reduceLrOnPlateau();
    if (plateau >= 0) {
      callbacks.add(new ReduceLROnPlateau(watched, lrFactor != null ? lrFactor : 0.1, plateau, true, Monitor.AUTO, 1e-4,
          0, minLr != null ? minLr : 0));
    }
    if (saveBest != null) callbacks.add(new ModelCheckpoint(saveBest, watched, true, Monitor.AUTO));
    LearningRateSchedule schedule = lrSchedule == null ? null : ScheduleOption.parse(lrSchedule, model.learningRate())
        .orElseThrow(problem -> usageError("--lr-schedule " + problem));
    if (schedule != null && plateau >= 0) {
      throw usageError("--lr-schedule sets the learning rate of every step, so it cannot go with ReduceLROnPlateau");
    }
    AtomicBoolean stop = new AtomicBoolean();
    FitOptions options;
    try {
      options = FitOptions.defaults(model)
          .withEpochs(epochCount)
          .withBatchSize(batch)
          .withSeed(effectiveSeed)
          .withShuffle(!noShuffle)
          .withMetrics(chosenMetrics)
          .withValidationSplit(split)
          .withTerminateOnNaN(!noTerminateOnNaN)
          .withSchedule(schedule)
          .withCallbacks(callbacks)
          .withCheckpoint(checkpoint)
          .withResume(resume)
          .withHistoryFile(history)
          .withStop(stop);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    if (hasValidation) out().println("val_* from " + validationSource);
    History trained;
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C: the step under way ends, then the loop stops and what was asked for is written; the JVM waits for that.
    Thread onInterrupt = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "nnc-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      try {
        trained = Trainer.fit(model, train, validation.orElse(null), options, progress, clock);
      } catch (TrainingDivergedException e) {
        progress.flush();
        throw new UserError(e.getMessage() + System.lineSeparator() + "nothing was saved"
            + (savedWeights != null && Files.exists(savedWeights) ? " (" + savedWeights + " is as it was)" : ""));
      }
      progress.flush();
      if (stop.get()) {
        if (savedWeights != null) Weights.save(model, savedWeights);
        out().println("Interrupted: " + (savedWeights != null ? "weights saved to " + savedWeights + "; " : "")
            + (history != null ? "history of the finished epochs in " + history + "; " : "")
            + (checkpoint != null ? "checkpoint " + checkpoint + " holds the last finished epoch" : "nothing else written"));
        out().flush();
        return ExitCodes.INTERRUPTED;
      }
      if (test.isPresent()) {
        long evaluated = Timings.start();
        out().println(Metrics.line("test_", finalEvaluation(trained, model, test.get(), options,
            validation.isPresent() && validation.get() == test.get())));
        clock.took("test set evaluated", evaluated);
      }
      if (report != null) {
        // the confusion matrix on the validation data where there are some, else on the test set
        Optional<Dataset> judged = split > 0 ? Optional.of(Trainer.validationSplit(train, split)[1])
            : validation.isPresent() ? validation : test;
        String judgedName = split > 0 ? "validation split (" + validationSource + ")"
            : validation.isPresent() && validation != test ? "validation set, " + validation.get().description()
            : "test set";
        writeReport(loaded, model, trained, train, judged, judgedName, options, clock);
      }
      if (savedWeights != null) Weights.save(model, savedWeights);
      // Written after every epoch already; again for a run that had no epoch left to train.
      if (history != null) trained.writeCsv(history);
      if (timings) clock.print(err());
      return ExitCodes.OK;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it has been let go above
      }
    }
  }

  /**
   * The test set's loss and accuracy after training: the last epoch's validation, which measured
   * exactly that (inference is deterministic), or, when no epoch ran, a fresh evaluation.
   */
  private static Evaluation finalEvaluation(History trained, Model model, Dataset test, FitOptions options,
      boolean testIsValidation) {
    int epochs = trained.epochs();
    // Early stopping may have restored other weights than the last epoch's.
    boolean restored = options.callbacks().stream().anyMatch(c -> c instanceof EarlyStopping);
    if (epochs == 0 || !testIsValidation || restored) {
      return Trainer.evaluate(model, test, options.batchSize(), options.metrics());
    }
    Map<String, Double> metricValues = new LinkedHashMap<>();
    for (String key : trained.keys()) {
      if (key.startsWith("val_") && !key.equals("val_loss")) metricValues.put(key.substring(4), trained.get(key).get(epochs - 1));
    }
    return new Evaluation(trained.get("val_loss").get(epochs - 1), metricValues);
  }

  /** The metrics named by --metrics (checked against the model's loss), else those of the model's source. */
  private List<String> chosenMetrics(CheckedModel checked) {
    if (metrics == null) return checked.metrics();
    LossKind loss = LossKind.valueOf(checked.loss().kind().name());
    List<String> chosen = new ArrayList<>();
    for (String written : metrics) {
      String name = written.strip();
      if (name.isEmpty()) continue;
      String canonical = Metric.canonical(name);
      if (!Metric.NAMES.contains(canonical)) {
        List<String> spellings = new ArrayList<>(Metric.NAMES);
        spellings.addAll(Metric.ALIASES.keySet());
        throw usageError("--metrics: unknown metric '" + name + "'" + Suggestions.didYouMean(name, spellings)
            + "; the metrics are " + String.join(", ", Metric.NAMES));
      }
      String problem = Metric.problem(canonical, loss);
      if (problem != null) throw usageError("--metrics " + name + ": " + problem);
      chosen.add(canonical);
    }
    return chosen;
  }

  /**
   * The --report page: the history, the confusion matrix on {@code judged} (named {@code judgedName}),
   * timing, the summary and how to run it again.
   */
  private void writeReport(LoadedModel loaded, Model model, History trained, Dataset train, Optional<Dataset> judged,
      String judgedName, FitOptions options, Timings clock) {
    TrainingReport page = TrainingReport.of(trained).model(model.name(), ModelSummary.render(loaded.checked()));
    if (judged.isPresent()) {
      ConfusionMatrix.of(model, judged.get(), options.batchSize()).ifPresent(matrix ->
          page.confusion(matrix, judgedName + ", " + matrix.total() + " samples, after training"));
    }
    long stepsPerEpoch = (train.size() + options.batchSize() - 1) / options.batchSize();
    page.timing(new TrainingReport.Timing(clock.secondsToFirstStep(), clock.epochSeconds(),
        stepsPerEpoch * trained.epochs(), (long) train.size() * trained.epochs()));
    page.reproduce(reproducingCommand(options.seed()), options.seed());
    options.callbacks().stream().filter(EarlyStopping.class::isInstance).map(EarlyStopping.class::cast).findFirst()
        .filter(stopping -> !noRestoreBestWeights && trained.epochs() > 0 && stopping.bestEpoch() < trained.epochs() - 1)
        .ifPresent(stopping -> page.weightsFrom(stopping.bestEpoch() + 1, "restored by early stopping"));
    page.write(report);
  }

  /** This command line as a shell would take it, with the seed made explicit. */
  private String reproducingCommand(long effectiveSeed) {
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (args.isEmpty() || !args.get(0).equals("train")) args.add(0, "train");
    if (seed == null) {
      args.add("--seed");
      args.add(Long.toString(effectiveSeed));
    }
    StringBuilder line = new StringBuilder("nnc");
    for (String arg : args) line.append(' ').append(shellWord(arg));
    return line.toString();
  }

  private static String shellWord(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./=:,@%+-]+")) return arg;
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
    } catch (java.io.IOException e) {
      // compared by name below
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private void validate() {
    data.validate();
    if (epochs != null && epochs < 0) throw usageError("--epochs must be 0 or more, not " + epochs);
    if (batchSize != null && batchSize < 1) throw usageError("--batch must be at least 1, not " + batchSize);
    if (kernels.problem() != null) throw usageError(kernels.problem());
    if (epochs != null && epochs == 0 && savedWeights != null && initialWeights == null) {
      throw usageError("--epochs 0 trains nothing, so --save would write untrained weights over " + savedWeights
          + "; leave out --save, or give --init W.npz to save those weights again");
    }
    // What stands in the way of writing (a folder, a read-only file, a folder without write
    // permission) would only show after training; find it now.
    if (validationSplit != null && !(validationSplit >= 0 && validationSplit < 1)) {
      throw usageError("--validation-split must be at least 0 and below 1, not " + validationSplit);
    }
    if (earlyStopping != null && earlyStopping < 0) throw usageError("--early-stopping must be 0 or more, not " + earlyStopping);
    if (reduceLrOnPlateau != null && reduceLrOnPlateau < 0) {
      throw usageError("--reduce-lr-on-plateau must be 0 or more, not " + reduceLrOnPlateau);
    }
    if (lrFactor != null && !(lrFactor >= 0 && lrFactor < 1)) throw usageError("--lr-factor must be at least 0 and below 1, not " + lrFactor);
    if (minLr != null && !(minLr >= 0)) throw usageError("--min-lr must be 0 or more, not " + minLr);
    if (resume != null && !Files.isRegularFile(resume)) throw usageError("--resume " + resume + ": no such file");
    if (resume != null && initialWeights != null) {
      throw usageError("--resume continues a run with its own weights; leave out --init");
    }
    String[] names = {"--save", "--history", "--checkpoint", "--save-best", "--report"};
    Path[] outputs = {savedWeights, history, checkpoint, saveBest, report};
    for (int i = 0; i < outputs.length; i++) {
      for (int j = i + 1; j < outputs.length; j++) {
        if (outputs[i] != null && outputs[j] != null && sameFile(outputs[i], outputs[j])) {
          throw usageError(names[i] + " and " + names[j] + " name the same file, " + outputs[i] + "; name two files");
        }
      }
    }
    for (Path output : new Path[] {savedWeights, history, checkpoint, saveBest, report}) {
      if (output != null) AtomicFile.requireWritable(output);
    }
  }
}
