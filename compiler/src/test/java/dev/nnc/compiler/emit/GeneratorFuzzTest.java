package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the generator: random models (layers, activations, losses, optimizer arguments with
 * random numbers) under random file names. Whatever checks must also compile with javac without a
 * warning (check and compile agree), and no file name reaches the class files.
 */
class GeneratorFuzzTest {

  @Property(tries = 50)
  void whatChecksCompilesAndNoFileNameBecomesCode(@ForAll("models") String model, @ForAll("fileNames") String fileName,
      @ForAll boolean vector) {
    SourceFile source = SourceFile.of(fileName, model);
    Compilation checked = NncCompiler.check(source);
    Compilation compiled = NncCompiler.compile(source, CompileOptions.inPackage(GeneratedModels.PACKAGE)
        .withKernels(vector ? Kernels.VECTOR : Kernels.SCALAR));
    assertTrue(checked.hasErrors() == compiled.hasErrors(), () -> "check and compile disagree on\n" + model
        + "\ncheck: " + checked.renderDiagnostics() + "\ncompile: " + compiled.renderDiagnostics());
    Statistics.collect(compiled.generated().isPresent() ? "compiled by javac" : "refused by check");
    if (compiled.generated().isEmpty()) return;
    GeneratedSource java = compiled.generated().get();
    assertTrue(java.code().chars().allMatch(c -> c < 128), "ASCII only");
    GeneratedModels.classBytes(GeneratedModels.javac(java)).forEach((name, bytes) ->
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(HostileNamesTest.PAYLOAD), name));
  }

  /** Any string, or one built to end a comment and call the payload. */
  @Provide
  Arbitrary<String> fileNames() {
    Arbitrary<String> attack = Arbitraries.of("\n", "\r", "\u2028", "\\u000a", "\\u000d", "*/", "\\u002a\\u002f", "\\\\u000a")
        .map(end -> "m" + end + HostileNamesTest.CALL + end + "//.nn");
    return Arbitraries.oneOf(attack, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(60));
  }

  @Provide
  Arbitrary<String> models() {
    Arbitrary<String> number = Arbitraries.oneOf(
        Arbitraries.doubles().between(1e-9, 0.999).ofScale(12).map(String::valueOf),
        Arbitraries.doubles().between(1e-9, 0.999).ofScale(12).map(String::valueOf),
        Arbitraries.doubles().between(1e-9, 0.999).ofScale(12).map(String::valueOf),
        Arbitraries.of("0", "1", "1e-3", "1e-7", "1e-38", "1e-45", "1e-50", "3e38", "1e39", ".5", "5.", "0.9"));
    Arbitrary<String> activation = Arbitraries.of("relu", "sigmoid", "tanh", "softmax", "linear");
    Arbitrary<String> layer = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.integers().between(1, 24), activation, Arbitraries.of("", " (use_bias = false)",
            " (init = he_normal)", " (bias_init = ones)")).as((units, act, options) -> "dense " + units + " " + act + options + ";"),
        activation.map(a -> "activation " + a + ";"),
        Arbitraries.of("0", "0.1", "0.5", "0.99").map(rate -> "dropout " + rate + ";"));
    Arbitrary<String> optimizer = Combinators.combine(Arbitraries.of("sgd", "rmsprop", "adam"), number, number)
        .as((name, lr, other) -> "optimizer " + name + "(learning_rate = " + lr + ", "
            + switch (name) { case "sgd" -> "momentum"; case "rmsprop" -> "rho"; default -> "beta_1"; } + " = " + other + ");");
    // Output activation and loss: mostly pairs that fit, sometimes any.
    Arbitrary<String> head = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of("softmax;\nloss sparse_ce", "softmax;\nloss ce", "sigmoid;\nloss binary_ce",
            "linear;\nloss mse", "linear;\nloss sparse_ce", "tanh;\nloss mse", "linear;\nloss binary_ce")),
        net.jqwik.api.Tuple.of(1, Combinators.combine(activation, Arbitraries.of("sparse_ce", "ce", "binary_ce", "mse"))
            .as((act, loss) -> act + ";\nloss " + loss)));
    return Combinators.combine(Arbitraries.integers().between(1, 40), layer.list().ofMinSize(0).ofMaxSize(6),
            Arbitraries.integers().between(1, 12), head, optimizer, Arbitraries.longs())
        .as((inputs, hidden, outputs, out, opt, seed) -> "model Fuzz {\ninput " + inputs + ";\n" + String.join("\n", hidden)
            + "\ndense " + outputs + " " + out + ";\n" + opt + "\ntrain batch 8 seed " + seed + ";\n}\n");
  }

}
