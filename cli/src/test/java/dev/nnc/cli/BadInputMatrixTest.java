package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.Npz;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each class of hostile or broken input of issue 7, end to end through {@code nnc}: the exit code,
 * the words of the message, no stack trace, bounded output, and the weights file that was there
 * before byte-identical afterwards (every training row names it as {@code --save}), with no
 * temporary file left beside it. SECURITY.md lists the same rows with the message each gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputMatrixTest {
  static final String PAYLOAD = "PWNED_BY_FILE_NAME";
  /** A line end, a call and a line comment, as escapes javac decodes everywhere: a file name holds no '/'. */
  static final String HOSTILE_NAME = "x\\u000aSystem.setProperty(\"" + PAYLOAD + "\", \"1\");\\u000a\\u002f\\u002f.nn";

  @TempDir static Path dir;
  Path good;
  byte[] goodBytes;

  record Row(String name, int exit, List<String> words, String[] args) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Row row(String name, int exit, List<String> words, String... args) {
    return new Row(name, exit, words, args);
  }

  @BeforeAll
  void writeFiles() throws Exception {
    write("blobs.nn", Models.BLOBS);
    floats("x.npy", new int[] {64, 2}, i -> (i % 2 == 0 ? -1f : 1f) * (i / 2 % 2 == 0 ? 1 : -1));
    floats("y.npy", new int[] {64}, i -> i % 2);
    Cli first = Cli.run("train", p("blobs.nn"), "--x", p("x.npy"), "--y", p("y.npy"), "--save", p("good.npz"));
    assertEquals(0, first.exitCode(), first::toString);
    good = dir.resolve("good.npz");
    goodBytes = Files.readAllBytes(good);

    // Data.
    floats("nan_x.npy", new int[] {64, 2}, i -> i == 5 ? Float.NaN : 1f);
    Files.write(dir.resolve("huge_x.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 2), }", 16));
    Files.write(dir.resolve("nested_x.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': "
        + "(".repeat(200_000) + ")".repeat(200_000) + ", }", 0));
    floats("x3.npy", new int[] {64, 3}, i -> 1f);
    floats("y_far.npy", new int[] {64}, i -> i % 2 == 0 ? 2f : 0f);
    write("binary.nn", "input 2; dense 1 sigmoid; loss binary_ce; train batch 16 epochs 1;");
    Path mnist = Files.createDirectories(dir.resolve("mnist"));
    ByteBuffer header = ByteBuffer.allocate(16).putInt(0x0803).putInt(2_000_000).putInt(28).putInt(28);
    byte[] images = gzip(concat(header.array(), new byte[1000]));
    ByteBuffer.wrap(images, images.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (16L + 2_000_000L * 784));
    for (String name : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz")) Files.write(mnist.resolve(name), images);
    byte[] labels = gzip(concat(ByteBuffer.allocate(8).putInt(0x0801).putInt(10).array(), new byte[10]));
    for (String name : List.of("train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) Files.write(mnist.resolve(name), labels);

    // Weights.
    Map<String, NpyArray> nan = new LinkedHashMap<>(Npz.read(good));
    float[] kernel = nan.get("dense_1/kernel").data().clone();
    kernel[3] = Float.NaN;
    nan.put("dense_1/kernel", NpyArray.ofFloats(new int[] {2, 16}, kernel));
    Npz.write(dir.resolve("nan.npz"), nan);
    String twice = new String(Files.readAllBytes(good), StandardCharsets.ISO_8859_1).replace("dense_2/bias", "dense_1/bias");
    Files.write(dir.resolve("twice.npz"), twice.getBytes(StandardCharsets.ISO_8859_1));
    Files.copy(good, dir.resolve("readonly.npz"));
    Files.setPosixFilePermissions(dir.resolve("readonly.npz"), PosixFilePermissions.fromString("r--r--r--"));
    Files.writeString(dir.resolve("a-file"), "not a folder");

    // Models.
    write("diverge.nn", Models.BLOBS.replace("adam(learning_rate = 0.01)", "sgd(learning_rate = 1e30)"));
    write("epsilon.nn", Models.BLOBS.replace("adam(learning_rate = 0.01)", "adam(epsilon = 1e-50)"));
    write("deep.nn", "input 2;\n" + "dense 2 relu;\n".repeat(101) + "loss sparse_ce;");
    write("lr.nn", Models.BLOBS.replace("adam(learning_rate = 0.01)", "sgd(learning_rate = 1e39)"));
    write("seed.nn", Models.BLOBS.replace("seed 7", "seed 99999999999999999999"));
    write("longname.nn", "model A" + "a".repeat(70_000) + " { input 2; dense 2 softmax; loss sparse_ce; }");
    write("big.nn", "input 40000; dense 40000; dense 2 softmax; loss sparse_ce;");
    write("bidi.nn", "input 2;\ndense 16 relu;\u202e dense 2 softmax;\nloss sparse_ce;\n");
    write("escape.nn", "input 2;\ndense 2 \u001b[2Jsoftmax;\nloss sparse_ce;\n");
    write("oneline.nn", "input 2; " + "dense 1 (;".repeat(100_000));
    write("\u001b[2J\u202ebad.nn", "input 2;\ndense 2 rleu;\nloss sparse_ce;\n");
    write("cr.nn", "input 2;\rdense 16 relu;\rdense 2 rleu;\rloss sparse_ce;\r");
    write("before.nn", "dense 4 rleu;\ninput 2;\ndense 2 sofmax;\nloss sparse_ce;");
    write("contradict.nn", "input 2;\ndense 1 relu;\nloss sparse_ce;");
    Files.write(dir.resolve("latin1.nn"), "input 2; # caf\u00e9\ndense 2 softmax;\nloss sparse_ce;".getBytes(StandardCharsets.ISO_8859_1));
    Path hostile = dir.resolve(HOSTILE_NAME);
    Files.writeString(hostile, "model Hostile { input 2; dense 2 softmax; loss sparse_ce; train epochs 1; }");
  }

  Stream<Row> rows() {
    String[] data = {"--x", p("x.npy"), "--y", p("y.npy")};
    String save = p("good.npz");
    List<Row> rows = new ArrayList<>();
    // 1. No text becomes code.
    rows.add(row("file name holding a newline and a call: trains, the call never runs", 0, List.of("Epoch 1/1"),
        cat(new String[] {"train", p(HOSTILE_NAME)}, data)));
    // 2. Tiny files declaring huge sizes.
    rows.add(row("npy declaring 1e9 rows of 2 floats", 1, List.of("huge_x.npy: truncated at byte 144", "needs 8,000,000,128 bytes"),
        "train", p("blobs.nn"), "--x", p("huge_x.npy"), "--y", p("y.npy"), "--save", save));
    rows.add(row("npy header of 200k nested '('", 1, List.of("nested_x.npy: malformed .npy header"),
        "train", p("blobs.nn"), "--x", p("nested_x.npy"), "--y", p("y.npy"), "--save", save));
    rows.add(row("IDX .gz whose header and trailer claim 2 million images", 1,
        List.of("train-images-idx3-ubyte.gz: corrupt or truncated compressed data"),
        "train", p("blobs.nn"), "--data", p("mnist"), "--save", save));
    // 3. Diagnostics.
    rows.add(row("1 MB one-line model with 100,000 errors", 1, List.of("more problems in", "(only the first 100 are shown)"), "check", p("oneline.nn")));
    rows.add(row("bidi override in a model", 1, List.of("U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control"),
        "check", p("bidi.nn")));
    rows.add(row("ESC and a bidi override in a model's file name", 1, List.of("\\u001b[2J\\u202ebad.nn:2:9: error: unknown activation"),
        "check", p("\u001b[2J\u202ebad.nn")));
    rows.add(row("ESC and a bidi override in a data file's name", 1, List.of("\\u001b[2J\\u202ex.npy: no such file"),
        "train", p("blobs.nn"), "--x", p("\u001b[2J\u202ex.npy"), "--y", p("y.npy"), "--save", save));
    rows.add(row("ESC in a model", 1, List.of("U+001B ESCAPE, the escape character"), "check", p("escape.nn")));
    // 4. NaN and infinity.
    rows.add(row("NaN in the features", 1, List.of("nan_x.npy: feature 1 of sample 2 is NaN"),
        "train", p("blobs.nn"), "--x", p("nan_x.npy"), "--y", p("y.npy"), "--save", save));
    rows.add(row("diverging learning rate", 1, List.of("training stopped: the loss became", "at epoch 1, step",
        "nothing was saved"), cat(new String[] {"train", p("diverge.nn"), "--save", save}, data)));
    rows.add(row("epsilon that rounds to 0", 1, List.of("epsilon '1e-50' is too small for a float"),
        cat(new String[] {"train", p("epsilon.nn"), "--save", save}, data)));
    rows.add(row("NaN weights from --init", 1, List.of("nan.npz: array 'dense_1/kernel' holds NaN at index 3"),
        cat(new String[] {"train", p("blobs.nn"), "--init", p("nan.npz"), "--save", save}, data)));
    // 5. check refuses what cannot compile or run, and compile agrees.
    rows.add(row("101 layers (check)", 1, List.of("at most 100 layers"), "check", p("deep.nn")));
    rows.add(row("101 layers (compile)", 1, List.of("at most 100 layers"), "compile", "-d", p("out"), p("deep.nn")));
    rows.add(row("learning rate 1e39", 1, List.of("'1e39' is too large for a float"), "check", p("lr.nn")));
    rows.add(row("seed beyond a long", 1, List.of("seed '99999999999999999999' is too large"), "check", p("seed.nn")));
    rows.add(row("70,000-character model name", 1, List.of("is 70001 characters long"), "check", p("longname.nn")));
    rows.add(row("-p java.lang", 2, List.of("'java.lang' is reserved"), "compile", "-p", "java.lang", "-d", p("out"), p("blobs.nn")));
    // 6. Too big for the heap.
    rows.add(row("input 40000; dense 40000", 1, List.of("big.nn: model Big", "needs", "JAVA_OPTS=-Xmx"),
        cat(new String[] {"train", p("big.nn"), "--save", save}, data)));
    rows.add(row("--batch 100000000", 1, List.of("needs", "JAVA_OPTS=-Xmx"),
        cat(new String[] {"train", p("blobs.nn"), "--batch", "100000000", "--save", save}, data)));
    rows.add(row("data that do not fit the model, told before it is allocated", 1,
        List.of("x3.npy: 3 features per sample (shape [64, 3]), but model Blobs takes 2"),
        "train", p("blobs.nn"), "--x", p("x3.npy"), "--y", p("y.npy"), "--save", save));
    // 7. Weights files.
    rows.add(row("--epochs 0 --save", 2, List.of("--epochs 0 trains nothing"),
        cat(new String[] {"train", p("blobs.nn"), "--epochs", "0", "--save", save}, data)));
    rows.add(row("read-only --save target", 1, List.of("readonly.npz: is read-only"),
        cat(new String[] {"train", p("blobs.nn"), "--save", p("readonly.npz")}, data)));
    rows.add(row("--save inside a file", 1, List.of("is not a folder"),
        cat(new String[] {"train", p("blobs.nn"), "--save", p("a-file") + "/w.npz"}, data)));
    rows.add(row("--history and --save the same file", 2, List.of("name the same file"),
        cat(new String[] {"train", p("blobs.nn"), "--save", save, "--history", save}, data)));
    rows.add(row("npz naming an array twice", 1, List.of("twice.npz: holds the array 'dense_1/bias' twice"),
        cat(new String[] {"train", p("blobs.nn"), "--init", p("twice.npz"), "--save", save}, data)));
    // 8. Smaller ones.
    rows.add(row("CR-only line ends", 1, List.of("cr.nn:3:9: error: unknown activation 'rleu'"), "check", p("cr.nn")));
    rows.add(row("binary_ce targets outside [0, 1]", 1, List.of("target 2.0 of sample 0 is not in [0, 1]"),
        "train", p("binary.nn"), "--x", p("x.npy"), "--y", p("y_far.npy"), "--save", save));
    rows.add(row("one output for a categorical loss: one consistent fix", 1, List.of("'dense 1 sigmoid;' and 'loss binary_ce;'"),
        "check", p("contradict.nn")));
    rows.add(row("layer before input: the other errors still shown", 1,
        List.of("unknown activation 'rleu'", "layer before 'input'", "unknown activation 'sofmax'"), "check", p("before.nn")));
    rows.add(row("Latin-1 byte in a model", 1, List.of("latin1.nn:1:15: not UTF-8 text: byte 0xE9"), "check", p("latin1.nn")));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachBadInputIsAClearErrorAndLosesNothing(Row row) throws Exception {
    Cli result = Cli.run(row.args());
    // The matrix as the docs show it: the row, the exit code and the message's first line.
    System.out.println("| " + row.name() + " | " + result.exitCode() + " | "
        + result.err().lines().findFirst().orElse("").replace(dir.toString(), "DIR") + " |");

    assertEquals(row.exit(), result.exitCode(), result::toString);
    for (String word : row.words()) {
      assertTrue((result.out() + result.err()).contains(word), () -> "'" + word + "' missing from\n" + result);
    }
    assertFalse(result.showsStackTrace(), result::toString);
    assertTrue(result.err().length() < 64 * 1024, "stderr bounded: " + result.err().length() + " characters");
    assertTrue(result.err().codePoints().noneMatch(c -> c == 0x1b || c == 0x202e), "no terminal or bidi control passed through");
    assertArrayEquals(goodBytes, Files.readAllBytes(good), "the earlier weights file is byte-identical");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".nnc-tmp")).toList());
    }
    assertNull(System.getProperty(PAYLOAD), "a file name ran as code");
    if (row.exit() != 0 && row.args()[0].equals("train")) {
      assertFalse(result.out().contains("Epoch") && !row.name().startsWith("diverging"), "refused before training: " + result);
    }
  }

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text);
  }

  private void floats(String name, int[] shape, java.util.function.IntToDoubleFunction value) {
    int n = 1;
    for (int d : shape) n *= d;
    float[] values = new float[n];
    for (int i = 0; i < n; i++) values[i] = (float) value.applyAsDouble(i);
    Npy.write(dir.resolve(name), NpyArray.ofFloats(shape, values));
  }

  /** A version 1.0 .npy with {@code dataBytes} zero bytes of data after the header. */
  private static byte[] npy(String dict, int dataBytes) {
    boolean v2 = dict.length() > 60_000;
    int prefix = v2 ? 12 : 10;
    String header = dict + " ".repeat(63 - (prefix + dict.length()) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(prefix + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) (v2 ? 2 : 1), 0});
    if (v2) b.putInt(header.length());
    else b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  private static byte[] gzip(byte[] content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(content);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static String[] cat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
