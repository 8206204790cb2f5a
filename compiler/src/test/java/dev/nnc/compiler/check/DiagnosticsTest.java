package dev.nnc.compiler.check;

import static dev.nnc.compiler.check.CheckTesting.headlines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.diag.DiagnosticIds;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One kind of mistake per row: the source, and the exact headline(s) it gets. Every diagnostic id
 * has at least one row (checked below), and the rows are the examples of docs/diagnostics.md.
 */
class DiagnosticsTest {
  private static final String OK_TAIL = "\nloss mse;";

  record Case(String id, String source, List<String> expected) {
    @Override
    public String toString() {
      return id + ": " + source.replace("\n", "⏎");
    }
  }

  private static Case row(String id, String source, String... expected) {
    return new Case(id, source, List.of(expected));
  }

  static Stream<Case> cases() {
    return Stream.of(
        // Parse stage
        row("syntax-error", "input 4;\ndense 3 softmax\nloss ce;",
            "m.nn:2:16: error: ';' expected [syntax-error]"),
        row("syntax-error", "input 4;\ndense;" + OK_TAIL,
            "m.nn:2:6: error: mismatched input ';'. Expecting: <number> [syntax-error]"),
        row("syntax-error", "input ;\ndense 3;" + OK_TAIL,
            "m.nn:1:7: error: mismatched input ';'. Expecting: <shape> [syntax-error]"),
        row("syntax-error", "model Xor {\n  input 2;\n  dense 1 sigmoid;\n  loss binary_ce;\n",
            "m.nn:4:18: error: unexpected end of file. Expecting: '}' [syntax-error]"),
        row("syntax-error", "input 2; dense 1; loss mse; optimizer adam(learning_rate = );",
            "m.nn:1:60: error: mismatched input ')'. Expecting: <name>, <number> [syntax-error]"),
        row("syntax-error", "input 2; dense 1; loss mse; optimizer adam(beta_1 = 0.5 beta_2 = 0.9);",
            "m.nn:1:57: error: mismatched input 'beta_2'. Expecting: ')', ',' [syntax-error]"),
        row("syntax-error", "input 2; dense 1; loss mse; }",
            "m.nn:1:29: error: mismatched input '}'. Expecting: 'model', <end of file>, <statement> [syntax-error]"),
        row("syntax-error", "input 5 x 5; dense 1; loss mse;",
            "m.nn:1:9: error: mismatched input 'x'. Expecting: ';' [syntax-error]"),
        row("unexpected-character", "input 4;\ndense 3 @ relu;" + OK_TAIL,
            "m.nn:2:9: error: unexpected character '@' [unexpected-character]"),
        row("unexpected-character", "input 4; $$$ dense 3;" + OK_TAIL,
            "m.nn:1:10: error: unexpected characters '$$$' [unexpected-character]"),

        // Structure
        row("unknown-statement", "input 4;\ndens 10;\ndense 3;" + OK_TAIL,
            "m.nn:2:1: error: unknown statement 'dens' (did you mean 'dense'?) [unknown-statement]"),
        row("unknown-statement", "input 4;\nconv2d 3;\ndense 3;" + OK_TAIL,
            "m.nn:2:1: error: unknown statement 'conv2d'; expected one of 'input', 'dense', 'activation', 'dropout',"
                + " 'flatten', 'loss', 'optimizer', 'metrics', 'train', 'model' [unknown-statement]"),
        row("duplicate-statement", "input 4; dense 3; loss mse;\nloss mse;",
            "m.nn:2:1: error: duplicate 'loss' statement (the first is on line 1) [duplicate-statement]"),
        row("duplicate-statement", "input 4; dense 3; loss mse; optimizer sgd;\noptimizer adam;\ninput 3;\ntrain;\ntrain epochs 2;",
            "m.nn:2:1: error: duplicate 'optimizer' statement (the first is on line 1) [duplicate-statement]",
            "m.nn:3:1: error: duplicate 'input' statement (the first is on line 1) [duplicate-statement]",
            "m.nn:5:1: error: duplicate 'train' statement (the first is on line 4) [duplicate-statement]"),
        row("duplicate-model", "model A { input 2; dense 1; loss mse; }\nmodel B { input 2; }",
            "m.nn:2:1: error: a file holds one model, but this is a second 'model' block; move it to a file of its own"
                + " [duplicate-model]"),
        row("statement-outside-model", "model Xor {\n  input 2;\n  dense 1 sigmoid;\n}\nloss binary_ce;",
            "m.nn:5:1: error: statement outside 'model Xor { ... }'; move it inside the braces [statement-outside-model]"),
        row("invalid-model-name", "model A" + "a".repeat(200) + " { input 2; dense 1; loss mse; }",
            "m.nn:1:7: error: model name 'A" + "a".repeat(39) + "...' is 201 characters long, more than the 200 a class"
                + " name may have here [invalid-model-name]"),
        row("invalid-model-name", "model xor_net { input 2; dense 1; loss mse; }",
            "m.nn:1:7: error: model name 'xor_net' must start with an upper-case letter (did you mean 'XorNet'?)"
                + " [invalid-model-name]"),
        row("missing-input", "dense 10 softmax;\nloss sparse_ce;",
            "m.nn:1:1: error: the model has no input; add 'input N;' before the first layer [missing-input]"),
        row("layer-before-input", "dense 10 softmax;\ninput 5;\ndense 3;" + OK_TAIL,
            "m.nn:1:1: error: layer before 'input'; move the 'input' statement on line 2 above the first layer"
                + " [layer-before-input]"),
        row("missing-layers", "input 5;\nloss sparse_ce;",
            "m.nn:1:1: error: the model has no layers; add at least one after 'input', e.g. 'dense 10 softmax;'"
                + " [missing-layers]"),
        row("missing-loss", "input 5;\ndense 10 softmax;",
            "m.nn:1:1: error: the model has no loss; add a 'loss' statement, e.g. 'loss sparse_ce;' [missing-loss]"),

        // Names
        row("unknown-activation", "input 5;\ndense 10 rellu;" + OK_TAIL,
            "m.nn:2:10: error: unknown activation 'rellu' (did you mean 'relu'?) [unknown-activation]"),
        row("unknown-activation", "input 5;\ndense 10;\nactivation swish;" + OK_TAIL,
            "m.nn:3:12: error: unknown activation 'swish'; expected one of 'relu', 'sigmoid', 'tanh', 'softmax', 'linear'"
                + " [unknown-activation]"),
        row("unknown-loss", "input 5;\ndense 10 softmax;\nloss sparse_cce;",
            "m.nn:3:6: error: unknown loss 'sparse_cce' (did you mean 'sparse_ce'?) [unknown-loss]"),
        row("unknown-optimizer", "input 5; dense 3;" + OK_TAIL + "\noptimizer RMSprop;",
            "m.nn:3:11: error: unknown optimizer 'RMSprop' (did you mean 'rmsprop'?) [unknown-optimizer]"),
        row("unknown-initializer", "input 5;\ndense 3 (init = he_norml);" + OK_TAIL,
            "m.nn:2:17: error: unknown initializer 'he_norml' (did you mean 'he_normal'?) [unknown-initializer]"),
        row("unknown-metric", "input 5; dense 3;" + OK_TAIL + "\nmetrics mae, acuracy;",
            "m.nn:3:14: error: unknown metric 'acuracy' (did you mean 'accuracy'?) [unknown-metric]"),

        // Arguments and values
        row("unknown-argument", "input 5; dense 3;" + OK_TAIL + "\noptimizer adam(lr = 0.01);",
            "m.nn:3:16: error: unknown argument 'lr' for optimizer 'adam' (did you mean 'learning_rate'?)"
                + " [unknown-argument]"),
        row("unknown-argument", "input 5; dense 3;" + OK_TAIL + "\noptimizer sgd(momentun = 0.9);",
            "m.nn:3:15: error: unknown argument 'momentun' for optimizer 'sgd' (did you mean 'momentum'?)"
                + " [unknown-argument]"),
        row("unknown-argument", "input 5;\ndense 3 (bias = false);" + OK_TAIL,
            "m.nn:2:10: error: unknown option 'bias' for 'dense'; expected one of 'activation', 'use_bias', 'init', 'bias_init'"
                + " [unknown-argument]"),
        row("unknown-argument", "input 5; dense 3;" + OK_TAIL + "\ntrain batch 32 epoch 5;",
            "m.nn:3:16: error: unknown setting 'epoch' for 'train' (did you mean 'epochs'?) [unknown-argument]"),
        row("duplicate-argument", "input 5; dense 3;" + OK_TAIL + "\noptimizer rmsprop(rho = 0.9, rho = 0.8);",
            "m.nn:3:30: error: duplicate argument 'rho' [duplicate-argument]"),
        row("duplicate-argument", "input 5;\ndense 3 (init = zeros, kernel_initializer = ones);" + OK_TAIL,
            "m.nn:2:24: error: duplicate option 'kernel_initializer' (already given as 'init') [duplicate-argument]"),
        row("wrong-value-type", "input 5; dense 3;" + OK_TAIL + "\noptimizer sgd(nesterov = True);",
            "m.nn:3:26: error: nesterov must be true or false, got 'True' (did you mean 'true'?) [wrong-value-type]"),
        row("wrong-value-type", "input 5; dense 3;" + OK_TAIL + "\noptimizer adam(learning_rate = fast);",
            "m.nn:3:32: error: learning_rate must be a number, got 'fast' [wrong-value-type]"),
        row("wrong-value-type", "input 5;\ndense 2.5;" + OK_TAIL,
            "m.nn:2:7: error: units must be a whole number, got '2.5' [wrong-value-type]"),
        row("wrong-value-type", "input 5;\ndense 3 (init = 3);" + OK_TAIL,
            "m.nn:2:17: error: init must be an initializer name, got '3' [wrong-value-type]"),
        row("value-out-of-range", "input 5;\ndense 0;" + OK_TAIL,
            "m.nn:2:7: error: units must be at least 1, got '0' [value-out-of-range]"),
        row("value-out-of-range", "input 28x0;\nflatten;\ndense 3;" + OK_TAIL,
            "m.nn:1:10: error: input dimension must be at least 1, got '0' [value-out-of-range]"),
        row("value-out-of-range", "input 99999999999;\ndense 3;" + OK_TAIL,
            "m.nn:1:7: error: input dimension '99999999999' is too large (at most 2147483639) [value-out-of-range]"),
        row("value-out-of-range", "input 5;\ndense 3;\ndropout 1;\ndense 2;" + OK_TAIL,
            "m.nn:3:9: error: dropout rate must be in [0, 1), got '1' [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL
                + "\noptimizer sgd(learning_rate = 0, momentum = 1);",
            "m.nn:3:31: error: learning_rate must be > 0, got '0' [value-out-of-range]",
            "m.nn:3:45: error: momentum must be in [0, 1), got '1' [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\noptimizer adam(beta_2 = -0.1, epsilon = 1e999);",
            "m.nn:3:25: error: beta_2 must be in [0, 1), got '-0.1' [value-out-of-range]",
            "m.nn:3:41: error: epsilon '1e999' is too large [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\noptimizer sgd(learning_rate = 1e39);",
            "m.nn:3:31: error: learning_rate '1e39' is too large for a float (at most 3.4028235E38) [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\noptimizer adam(epsilon = 1e-50);",
            "m.nn:3:26: error: epsilon '1e-50' is too small for a float: it would become 0 (the smallest is"
                + " 1.17549435E-38) [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\ntrain seed 99999999999999999999;",
            "m.nn:3:12: error: seed '99999999999999999999' is too large (at most 9223372036854775807) [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\ntrain batch 0 epochs 99999999999;",
            "m.nn:3:13: error: batch must be at least 1, got '0' [value-out-of-range]",
            "m.nn:3:22: error: epochs '99999999999' is too large (at most 2147483647) [value-out-of-range]"),
        row("value-out-of-range", "input 5; dense 3;" + OK_TAIL + "\ntrain validation_split 1 early_stopping -2;",
            "m.nn:3:24: error: validation_split must be in [0, 1), got '1' [value-out-of-range]",
            "m.nn:3:41: error: early_stopping must be at least 0, got '-2' [value-out-of-range]"),

        // Shapes and the output
        row("flatten-required", "input 28x28;\ndense 10 softmax;\nloss sparse_ce;",
            "m.nn:2:1: error: 'dense' needs a flat input, but its input has shape 28x28; add 'flatten;' before this layer"
                + " [flatten-required]"),
        row("size-too-large", "input 100000x100000;\nflatten;\ndense 1;" + OK_TAIL,
            "m.nn:1:7: error: input shape 100000x100000 has more values than a Java array can hold (2147483639)"
                + " [size-too-large]"),
        row("size-too-large", "input 60000;\ndense 60000;" + OK_TAIL,
            "m.nn:2:7: error: dense_1 brings the parameter count to 3600060000, more than a Java array can hold"
                + " (2147483639) [size-too-large]"),
        row("too-many-layers", "input 5;" + "\ndense 3;".repeat(101) + OK_TAIL,
            "m.nn:102:1: error: a model has at most 100 layers, and this is layer 101 (each layer adds code to the"
                + " generated forward and backward methods, which must stay small enough for the JIT compiler)"
                + " [too-many-layers]"),
        row("invalid-output-layer", "input 5;\ndense 10 softmax;\nflatten;\nloss sparse_ce;",
            "m.nn:3:1: error: the last layer gives the model's output and must be 'dense' or 'activation', but"
                + " flatten_1 is 'flatten'; add an output layer such as 'dense 10 softmax;' [invalid-output-layer]"),
        row("invalid-output-layer", "input 28x28;\nactivation relu;" + OK_TAIL,
            "m.nn:2:1: error: the model's output must be flat, but activation_1 gives shape 28x28; add 'flatten;' and a"
                + " 'dense' layer before it [invalid-output-layer]"),
        row("loss-activation-mismatch", "input 784;\ndense 512 relu;\ndense 10 relu;\nloss sparse_categorical_crossentropy;",
            "m.nn:3:10: error: loss 'sparse_categorical_crossentropy' needs a 'softmax' (or 'linear') output, but dense_2"
                + " uses 'relu'; write 'dense 10 softmax;' [loss-activation-mismatch]"),
        row("loss-activation-mismatch", "input 5;\ndense 2;\nactivation softmax;\nloss binary_ce;",
            "m.nn:3:12: error: loss 'binary_ce' needs a 'sigmoid' (or 'linear') output, but activation_1 uses"
                + " 'softmax'; write 'activation sigmoid;' [loss-activation-mismatch]"),
        row("loss-output-mismatch", "input 5;\ndense 1 softmax;\nloss sparse_ce;",
            "m.nn:2:7: error: loss 'sparse_ce' needs at least 2 outputs (one per class), but dense_1 has 1; for two"
                + " classes write 'dense 1 sigmoid;' and 'loss binary_ce;' [loss-output-mismatch]"),
        row("metric-loss-mismatch", "input 5;\ndense 3 softmax;\nloss sparse_ce;\nmetrics accuracy, top_k_categorical_accuracy;",
            "m.nn:4:19: error: metric 'top_k_categorical_accuracy' reads one-hot targets (loss 'ce'), not those of"
                + " 'sparse_ce' (did you mean 'sparse_top_k_categorical_accuracy'?) [metric-loss-mismatch]"),
        row("metric-loss-mismatch", "input 5;\ndense 1;" + OK_TAIL + "\nmetrics acc, auc;",
            "m.nn:4:9: error: metric 'acc' measures a classifier, but loss 'mse' trains a regression; use 'mae' or"
                + " 'mse' [metric-loss-mismatch]",
            "m.nn:4:14: error: metric 'auc' measures a binary classifier (loss 'binary_ce'), not one trained with 'mse'"
                + " [metric-loss-mismatch]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactly(Case c) {
    assertEquals(c.expected(), headlines(c.source()));
  }

  @Test
  void everyIdHasARow() throws IllegalAccessException {
    Set<String> tested = cases().map(Case::id).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(allIds()), tested);
  }

  @Test
  void everyRowShowsItsOwnId() {
    cases().forEach(c -> assertTrue(c.expected().stream().anyMatch(h -> h.endsWith("[" + c.id() + "]")), c.toString()));
  }

  static List<String> allIds() throws IllegalAccessException {
    List<String> ids = new java.util.ArrayList<>();
    for (Field field : DiagnosticIds.class.getFields()) ids.add((String) field.get(null));
    return ids;
  }

  @Test
  void idsAreKebabCaseAndDistinct() throws IllegalAccessException {
    List<String> ids = allIds();
    assertEquals(ids.size(), Set.copyOf(ids).size());
    ids.forEach(id -> assertTrue(id.matches("[a-z]+(-[a-z]+)*"), id));
    assertTrue(ids.size() >= 15, "at least 15 kinds of mistakes: " + Arrays.toString(ids.toArray()));
  }
}
