package dev.nnc.compiler.check;

import static dev.nnc.compiler.check.CheckTesting.check;
import static dev.nnc.compiler.check.CheckTesting.headlines;
import static dev.nnc.compiler.check.CheckTesting.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.FlattenSpec;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.compiler.model.TrainSpec;
import dev.nnc.runtime.Initializers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCheckerTest {
  private static final String MNIST = """
      input 784;
      dense 512 relu;
      dense 10 softmax;
      loss sparse_ce;
      optimizer rmsprop;
      """;

  @Test
  void mnistFromDesign() {
    CheckedModel model = model("mnist.nn", MNIST);
    assertEquals("Mnist", model.name());
    assertEquals("mnist.nn", model.sourceFileName());
    assertEquals(List.of(784), model.inputShape());
    assertEquals(List.of(
        new DenseSpec("dense_1", 2, 784, 512, Activation.RELU, true, "glorot_uniform", "zeros"),
        new DenseSpec("dense_2", 3, 512, 10, Activation.SOFTMAX, true, "glorot_uniform", "zeros")), model.layers());
    assertEquals(new LossSpec(LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY, 4), model.loss());
    assertEquals(new OptimizerSpec.RmsProp(0.001, 0.9, 0, 1e-7, 5), model.optimizer());
    assertEquals(407_050, model.parameterCount());
    assertEquals(10, model.outputSize());
    assertEquals(List.of(), model.metrics());
    assertEquals(TrainSpec.KERAS_DEFAULTS, model.train());
  }

  @Test
  void headerFormNamesTheModelAndMatchesTheBareForm() {
    String indented = MNIST.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    CheckedModel withHeader = model("whatever.nn", "model Digits {\n" + indented + "}\n");
    CheckedModel bare = model("digits.nn", MNIST);
    assertEquals("Digits", withHeader.name());
    assertEquals(bare.parameterCount(), withHeader.parameterCount());
    assertEquals(3, withHeader.layers().get(0).line()); // lines are the file's own
  }

  @ParameterizedTest
  @CsvSource({
      "mnist.nn, Mnist",
      "my_xor-net.nn, MyXorNet",
      "mnistV2.nn, MnistV2",
      "two.words.nn, TwoWords",
      "noextension, Noextension",
      "Über.nn, Über"})
  void modelNameComesFromTheFileName(String fileName, String expected) {
    assertEquals(expected, model(fileName, MNIST).name());
  }

  @Test
  void aFileNameThatCannotNameAModelIsReported() {
    assertEquals(List.of("3d.nn:1:1: error: cannot make a model name from the file name '3d.nn'; name the model with a"
            + " header 'model Name { ... }' [invalid-model-name]"),
        check("3d.nn", MNIST).diagnostics().stream().map(d -> d.headline()).toList());
    assertEquals("Conv3d", model("3d.nn", "model Conv3d {" + MNIST + "}").name());
  }

  @Test
  void noOptimizerMeansKerasDefaultRmsprop() {
    CheckedModel model = model("m.nn", "input 4; dense 2 softmax; loss ce;");
    assertEquals(new OptimizerSpec.RmsProp(0.001, 0.9, 0, 1e-7, 0), model.optimizer());
  }

  @Test
  void optimizerArgumentsAndDefaults() {
    String base = "input 4;\ndense 2 softmax;\nloss ce;\n";
    assertEquals(new OptimizerSpec.Sgd(0.01, 0, false, 4), model("m.nn", base + "optimizer sgd;").optimizer());
    assertEquals(new OptimizerSpec.Sgd(0.1, 0.9, true, 4),
        model("m.nn", base + "optimizer sgd(learning_rate = 0.1, momentum = .9, nesterov = true);").optimizer());
    assertEquals(new OptimizerSpec.RmsProp(1e-3, 0.95, 0.5, 1e-6, 4),
        model("m.nn", base + "optimizer rmsprop(rho = 0.95, momentum = 0.5, epsilon = 1E-6);").optimizer());
    assertEquals(new OptimizerSpec.Adam(0.001, 0.9, 0.999, 1e-7, 4), model("m.nn", base + "optimizer adam();").optimizer());
    assertEquals(new OptimizerSpec.Adam(3e-4, 0.8, 0.99, 1e-8, 4),
        model("m.nn", base + "optimizer adam(epsilon = 1e-8, beta_2 = 0.99, beta_1 = 0.8, learning_rate = 3e-4);")
            .optimizer());
  }

  @ParameterizedTest
  @CsvSource({
      "sparse_ce, SPARSE_CATEGORICAL_CROSSENTROPY, softmax",
      "sparse_categorical_crossentropy, SPARSE_CATEGORICAL_CROSSENTROPY, linear",
      "ce, CATEGORICAL_CROSSENTROPY, softmax",
      "categorical_crossentropy, CATEGORICAL_CROSSENTROPY, linear",
      "binary_ce, BINARY_CROSSENTROPY, sigmoid",
      "binary_crossentropy, BINARY_CROSSENTROPY, linear",
      "mse, MEAN_SQUARED_ERROR, relu",
      "mean_squared_error, MEAN_SQUARED_ERROR, tanh"})
  void lossAliasesAndFittingActivations(String loss, LossSpec.Kind kind, String activation) {
    int outputs = kind == LossSpec.Kind.BINARY_CROSSENTROPY ? 1 : 3;
    CheckedModel model = model("m.nn", "input 4; dense " + outputs + " " + activation + "; loss " + loss + ";");
    assertEquals(kind, model.loss().kind());
  }

  @Test
  void omittedActivationIsLinearAndCountsAsLogits() {
    DenseSpec dense = (DenseSpec) model("m.nn", "input 4; dense 3; loss sparse_ce;").layers().get(0);
    assertEquals(Activation.LINEAR, dense.activation());
  }

  @Test
  void denseOptionsAndTheirKerasAliases() {
    CheckedModel model = model("m.nn", """
        input 4;
        dense 8 relu (use_bias = false, init = he_normal);
        dense 3 softmax (kernel_initializer = lecun_uniform, bias_initializer = ones);
        dense 3 softmax (bias_init = glorot_normal, use_bias = true);
        loss ce;
        """);
    assertEquals(new DenseSpec("dense_1", 2, 4, 8, Activation.RELU, false, "he_normal", "zeros"), model.layers().get(0));
    assertEquals(new DenseSpec("dense_2", 3, 8, 3, Activation.SOFTMAX, true, "lecun_uniform", "ones"),
        model.layers().get(1));
    assertEquals("glorot_normal", ((DenseSpec) model.layers().get(2)).biasInitializer());
    assertEquals(8 * 4 + 8 * 3 + 3 + 3 * 3 + 3, model.parameterCount());
  }

  @Test
  void theKerasKeywordFormOfTheActivationMeansTheSame() {
    String positional = "input 4;\ndense 64 relu;\ndense 3 softmax (use_bias = false);\nloss sparse_ce;\n";
    String keywords = "input 4;\ndense 64 (activation = relu);\ndense 3 (use_bias = false, activation = softmax);\n"
        + "loss sparse_ce;\n";
    assertEquals(model("m.nn", positional), model("m.nn", keywords));
    // The output's activation is placed at the keyword's value, as at the positional name.
    assertEquals(List.of("m.nn:2:23: error: loss 'sparse_ce' needs a 'softmax' (or 'linear') output, but dense_1 uses"
            + " 'relu'; write 'dense 3 softmax;' [loss-activation-mismatch]"),
        headlines("input 4;\ndense 3 (activation = relu);\nloss sparse_ce;"));
  }

  @Test
  void theActivationGivenTwiceOrMisspelledIsReportedAtTheKeyword() {
    assertEquals(List.of("m.nn:2:15: error: duplicate option 'activation' (already given as 'relu' after the units);"
            + " give it once [duplicate-argument]"),
        headlines("input 4;\ndense 8 relu (activation = relu);\ndense 2 softmax;\nloss sparse_ce;"));
    assertEquals(List.of("m.nn:2:10: error: unknown option 'activaton' for 'dense' (did you mean 'activation'?)"
            + " [unknown-argument]"),
        headlines("input 4;\ndense 8 (activaton = relu);\ndense 2 softmax;\nloss sparse_ce;"));
    assertEquals(List.of("m.nn:2:23: error: unknown activation 'rellu' (did you mean 'relu'?) [unknown-activation]"),
        headlines("input 4;\ndense 8 (activation = rellu);\ndense 2 softmax;\nloss sparse_ce;"));
    assertEquals(List.of("m.nn:2:23: error: activation must be an activation name, got '3' [wrong-value-type]"),
        headlines("input 4;\ndense 8 (activation = 3);\ndense 2 softmax;\nloss sparse_ce;"));
    assertFalse(check("m.nn", "input 4;\ndense 8 (activation = rellu);\ndense 2 softmax;\nloss sparse_ce;")
        .model().isPresent());
  }

  @Test
  void initializerNamesMatchTheRuntime() {
    assertEquals(Initializers.NAMES, Vocabulary.INITIALIZERS.names());
  }

  @Test
  void imageInputIsFlattenedWithShapesInferredAndKerasNames() {
    CheckedModel model = model("m.nn", """
        input 28x28x1;   # an image
        flatten;         // to 784
        dense 128 relu;
        dropout 0.2;
        activation tanh;
        dropout .5;
        dense 10;
        activation softmax;
        loss sparse_ce;
        metrics accuracy, acc;
        train epochs 5 batch 128 seed 7;
        """);
    assertEquals(List.of(28, 28, 1), model.inputShape());
    assertEquals(784, model.inputSize());
    assertEquals(List.of("flatten_1", "dense_1", "dropout_1", "activation_1", "dropout_2", "dense_2", "activation_2"),
        model.layers().stream().map(l -> l.name()).toList());
    FlattenSpec flatten = assertInstanceOf(FlattenSpec.class, model.layers().get(0));
    assertEquals(List.of(28, 28, 1), flatten.inputShape());
    assertEquals(List.of(784), flatten.outputShape());
    assertEquals(784, ((DenseSpec) model.layers().get(1)).inputs());
    assertEquals(new DropoutSpec("dropout_1", 4, List.of(128), 0.2), model.layers().get(2));
    assertEquals(new ActivationSpec("activation_1", 5, List.of(128), Activation.TANH), model.layers().get(3));
    assertEquals(0.5, ((DropoutSpec) model.layers().get(4)).rate());
    assertEquals(List.of(10), model.outputShape());
    assertEquals(List.of("accuracy"), model.metrics());
    assertEquals(new TrainSpec(128, 5, 7), model.train());
    assertEquals(784 * 128 + 128 + 128 * 10 + 10, model.parameterCount());
  }

  @Test
  void trainSettingsAreEachOptional() {
    String base = "input 4; dense 2 softmax; loss ce;";
    assertEquals(new TrainSpec(32, 1, 42), model("m.nn", base + "train;").train());
    assertEquals(new TrainSpec(32, 3, 42), model("m.nn", base + "train epochs 3;").train());
    assertEquals(new TrainSpec(64, 1, -1), model("m.nn", base + "train seed -1 batch 64;").train());
    assertEquals(new TrainSpec(128, 5, 42, 0.1, 3, 0),
        model("m.nn", base + "train batch 128 epochs 5 validation_split 0.1 early_stopping 3 reduce_lr_on_plateau 0;").train());
    assertEquals(new TrainSpec(32, 1, 42, 0, -1, -1), model("m.nn", base + "train;").train(), "no split, no callbacks");
  }

  @Test
  void emptyStatementsAndCommentsAreIgnored() {
    CheckedModel model = model("m.nn", "# header comment\n;input 4;; dense 2 softmax; // trailing\nloss ce;;\n");
    assertEquals(2, model.outputSize());
  }

  @Test
  void noModelWhenThereIsAnyError() {
    CheckResult result = check("m.nn", "input 4; dense 2 softmax; loss ce; optimizer adam(lr = 1);");
    assertTrue(result.model().isEmpty());
    assertFalse(result.diagnostics().isEmpty());
  }

  @Test
  void aMultiErrorFileReportsEveryErrorInSourceOrder() {
    assertEquals(List.of(
            "m.nn:3:1: error: 'dense' needs a flat input, but its input has shape 28x28; add 'flatten;' before this"
                + " layer [flatten-required]",
            "m.nn:3:11: error: unknown activation 'rellu' (did you mean 'relu'?) [unknown-activation]",
            "m.nn:3:29: error: use_bias must be true or false, got '0' [wrong-value-type]",
            "m.nn:3:39: error: unknown initializer 'he_norml' (did you mean 'he_normal'?) [unknown-initializer]",
            "m.nn:4:1: error: unknown statement 'dens' (did you mean 'dense'?) [unknown-statement]",
            "m.nn:5:14: error: ';' expected [syntax-error]",
            "m.nn:6:9: error: dropout rate must be in [0, 1), got '1.5' [value-out-of-range]",
            "m.nn:7:6: error: unknown loss 'sparse_cce' (did you mean 'sparse_ce'?) [unknown-loss]",
            "m.nn:8:16: error: unknown argument 'lr' for optimizer 'adam' (did you mean 'learning_rate'?)"
                + " [unknown-argument]",
            "m.nn:8:35: error: beta_1 must be in [0, 1), got '2' [value-out-of-range]",
            "m.nn:8:37: error: duplicate argument 'beta_1' [duplicate-argument]",
            "m.nn:9:1: error: duplicate 'optimizer' statement (the first is on line 8) [duplicate-statement]",
            "m.nn:10:9: error: unknown metric 'acuracy' (did you mean 'accuracy'?) [unknown-metric]",
            "m.nn:11:13: error: batch must be at least 1, got '0' [value-out-of-range]",
            "m.nn:11:15: error: unknown setting 'epoch' for 'train' (did you mean 'epochs'?) [unknown-argument]",
            "m.nn:11:28: error: seed must be a whole number, got '1.5' [wrong-value-type]",
            "m.nn:12:10: error: unexpected character '@' [unexpected-character]"),
        headlines("""
            # every line has a mistake
            input 28x28;
            dense 512 rellu (use_bias = 0, init = he_norml);
            dens 10;
            dense 10 relu
            dropout 1.5;
            loss sparse_cce;
            optimizer adam(lr = 0.1, beta_1 = 2,beta_1=0.5);
            optimizer sgd;
            metrics acuracy;
            train batch 0 epoch 5 seed 1.5;
            dense 10 @ softmax;
            """));
  }

  @Test
  void aBrokenStatementDoesNotAlsoCountAsMissing() {
    assertEquals(List.of(
            "m.nn:1:7: error: mismatched input ';'. Expecting: <shape> [syntax-error]",
            "m.nn:3:8: error: mismatched input ';'. Expecting: <name> [syntax-error]"),
        headlines("input ;\ndense 3 softmax;\nloss   ;\n"));
  }

  @Test
  void renderShowsTheLineAndACaretUnderTheColumn() {
    String text = "input 784;\ndense 512 rellu;\ndense 10 softmax;\nloss sparse_ce;\n";
    var source = dev.nnc.compiler.diag.SourceFile.of("mnist.nn", text);
    var diagnostic = check("mnist.nn", text).diagnostics().get(0);
    assertEquals(String.join(System.lineSeparator(),
        "mnist.nn:2:11: error: unknown activation 'rellu' (did you mean 'relu'?) [unknown-activation]",
        "dense 512 rellu;",
        "          ^"), diagnostic.render(source));
  }
}
