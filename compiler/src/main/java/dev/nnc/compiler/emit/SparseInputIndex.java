package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.Arrays;
import javax.lang.model.element.Modifier;

/**
 * The batch's non-zero inputs, indexed once per batch for the layer that reads the model's input
 * (most of an image's pixels are exactly zero: 81% of MNIST's). Row-compressed for the forward
 * pass ({@code inputRowStart[i] .. inputRowEnd[i]} index the row's non-zeros, in column order;
 * each part of a split step indexes its own rows into its own region) and column-compressed for the weight gradient (per input feature, the rows where it is
 * non-zero, in row order). Kernels that run over it skip exactly the products that are zero, in
 * the order the dense kernels take the rest, so the sums they form are the same.
 *
 * <p>For the vector kernels the column index is over pairs of adjacent input features ({@code 2j},
 * {@code 2j + 1}): per pair, the rows where either is non-zero, each with both values (one of them
 * may be zero), so that the weight gradient loads each row of the output gradient once for two
 * features' sums, and the forward pass (with AVX-512's 32 registers) holds both features' weights
 * in registers while it adds them to those rows' sums. It is built before the forward pass, each
 * thread of a split step its share of the pairs. On MNIST a pair has 0.59 entries per non-zero input: 17% more products than the
 * features alone, each extra one {@code 0 * dz}, which leaves a sum as it was. Each pair's region
 * has room for both features' non-zero inputs; where its entries end is the cursor's last place.
 *
 * <p>When more than half the batch is non-zero the index does not pay, and the dense kernels run.
 */
final class SparseInputIndex {
  static final String SPARSE = "inputSparse";
  static final String ROW_START = "inputRowStart";
  static final String ROW_END = "inputRowEnd";
  private static final String PART_COUNT = "inputPartNonzeros";
  static final String ROW_COLUMN = "inputRowColumn";
  static final String ROW_VALUE = "inputRowValue";
  static final String COLUMN_START = "inputColumnStart";
  static final String COLUMN_ROW = "inputColumnRow";
  static final String COLUMN_VALUE = "inputColumnValue";
  private static final String COLUMN_CURSOR = "inputColumnCursor";
  private static final String ROW_CURSOR = "inputRowCursor";
  private static final String PART_TOUCHED = "inputPartTouched";
  private static final String PART_COLUMN_COUNT = "inputPartColumnCount";
  static final String PAIR_START = "inputPairStart";
  static final String PAIR_MIDDLE = "inputPairMiddle";
  static final String PAIR_END = "inputPairEnd";
  static final String PAIR_ROW = "inputPairRow";
  static final String PAIR_VALUE = "inputPairValue";
  static final String FEATURE_ROWS = "inputFeatureRows";
  /**
   * The index builders over a batch of the caller's samples, each taking {@code (arrays..., samples,
   * first, n, rows, part, parts)}: byte samples, packed byte samples, samples held as their pairs.
   */
  static final String INDEX_BYTE_ROWS = "indexByteRows", COPY_PACKED_BYTES = "copyPackedBytes", INDEX_PACKED_PAIRS = "indexPackedPairs";
  /** Whether the current batch's pairs' column index was built from its samples' pairs, with no row index to build it from. */
  private static final String PAIRS_INDEXED = "inputPairsIndexed";
  private static final String HALF_PAIR_COUNT = "inputHalfPairCount";
  /** The feature of the packed entry at {@code p}: its index's low byte, then its high byte (see the runtime's {@code PackedBytes}). */
  private static final String PACKED_FEATURE = "(packed[p] & 0xFF) | (packed[p + 1] & 0xFF) << 8";

  /**
   * Bytes per zero test when the vector kernels index byte samples: 16, a 128-bit vector, finer than
   * a float vector's 64 bytes, so that more of an image's blank runs are skipped.
   */
  static final int BYTE_BLOCK = 16;

  /**
   * Floats per zero test when the vector kernels index float samples: 4, whatever the machine's
   * widest vector, so that the blank runs of an image's rows are skipped and fewer of its
   * zeros are indexed one by one (an MNIST test image 0.44 µs with a test of 16 floats, 0.31 µs of 8,
   * 0.29 µs of 4, on AVX-512).
   */
  static final int FLOAT_BLOCK = 4;

  /**
   * Java that is zero exactly when the {@link #FLOAT_BLOCK} floats of {@code array} from {@code at}
   * (an expression) are all zero, of either sign: their bits or-ed, the sign shifted out. Plain Java,
   * not a 128-bit vector compare: a second float shape beside the kernels' own makes the Vector
   * API's shared fallback code see two vector classes, and the optimizing compiler then often
   * compiled a kernel with every vector boxed (a predictor's batch of 10,000 MNIST images in 350 ms
   * instead of 36, in 5 JVMs of 16; none of 20 without it). The predictor is as fast so; a copy of
   * the training class's float index loop took 94-95 µs a batch of 128 MNIST images against 85-89
   * with the vector test, and the other tests tried were slower still (the values' absolute
   * sum 111-113, four compares 124-128, the preferred vector's first and last non-zero lane 111, a
   * test of the preferred vector before its blocks' 98-99).
   */
  static CodeBlock floatBlockBits(String array, String at) {
    CodeBlock.Builder bits = CodeBlock.builder().add("((");
    for (int l = 0; l < FLOAT_BLOCK; l++) {
      String element = l == 0 ? at : at + " + " + l;
      bits.add(l == 0 ? "" : " | ").add("$T.floatToRawIntBits($L[$L])", Float.class, array, element);
    }
    return bits.add(") << 1)").build();
  }

  private final String input;
  private final int features;
  private final boolean vector;

  /**
   * An index over {@code input}, the batch buffer of {@code features} floats per row; with
   * {@code vector}, whole vectors of zeros (an image's blank border) are skipped with one test.
   */
  SparseInputIndex(String input, int features, boolean vector) {
    this.input = input;
    this.features = features;
    this.vector = vector;
  }

  /**
   * Adds the index's fields and methods; with {@code threads}, the column index takes part 1's counts
   * of features when the worker indexed part 1.
   */
  void addTo(TypeSpec.Builder type, boolean threads) {
    type.addField(FieldSpec.builder(boolean.class, SPARSE, Modifier.PRIVATE)
        .addJavadoc("Whether the current batch is sparse enough for the kernels that run over its non-zero inputs.\n").build());
    type.addField(ints(ROW_START, "ROWS", "Where each row's non-zero inputs start in the row-compressed index."));
    type.addField(ints(ROW_END, "ROWS", "Where each row's non-zero inputs end in the row-compressed index."));
    type.addField(ints(PART_COUNT, "2", "The non-zero inputs each part of the step found."));
    type.addField(ints(PART_TOUCHED, "2", "A sum of the bytes each part read ahead of indexing them, kept so that the reads are."));
    type.addField(ints(ROW_COLUMN, "ROWS * " + features, "The input feature of each non-zero input, row by row."));
    type.addField(floats(ROW_VALUE, "ROWS * " + features, "The value of each non-zero input, row by row."));
    type.addField(ints(PART_COLUMN_COUNT, "2 * " + countStride(), "How many of each part's rows each input feature is non-zero in, part 1's from "
        + countStride() + " on (a cache line apart, as the parts count at once)."));
    if (vector) {
      type.addField(ints(FEATURE_ROWS, 2 * pairs() + "", "How many of the batch's rows each input feature is non-zero in."));
      type.addField(ints(PAIR_START, "2 * " + pairs(), "Where each pair of input features' entries of rows below ROWS / 2 start in the column-compressed\n"
          + "index, and from " + pairs() + " on, where its entries of the other rows start."));
      type.addField(ints(PAIR_MIDDLE, pairs() + "",
          "Where each pair of input features' entries of rows below ROWS / 2 end in the column-compressed index."));
      type.addField(ints(PAIR_END, pairs() + "",
          "Where each pair of input features' entries end in the column-compressed index (its next free place while it is built)."));
      type.addField(ints(PAIR_ROW, "ROWS * " + features, "The row of each entry, pair of input features by pair."));
      type.addField(floats(PAIR_VALUE, "2 * ROWS * " + features, "The two input values of each entry, the pair's even feature first."));
      type.addField(FieldSpec.builder(boolean.class, PAIRS_INDEXED, Modifier.PRIVATE)
          .addJavadoc("Whether the current batch's pairs' column index was built from its samples' pairs (no row index).\n").build());
      type.addField(FieldSpec.builder(long[].class, HALF_PAIR_COUNT, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Each half of the rows' counts per pair of input features, from its samples' pairs: its entries from bit 0, the\n"
              + "even feature's non-zero ones from bit 21, the odd one's from bit 42; the second half's from " + pairs() + " on.\n")
          .initializer("new long[2 * $L]", pairs()).build());
      type.addField(ints(ROW_CURSOR, "2 * ROWS",
          "Each part's place in each row's non-zero inputs while its forward pass walks the kernel in blocks of rows."));
    } else {
      type.addField(ints(COLUMN_START, (features + 1) + "", "Where each input feature's non-zero rows start in the column-compressed index."));
      type.addField(ints(COLUMN_CURSOR, features + "", "The next free place of each input feature while the column index is built."));
      type.addField(ints(COLUMN_ROW, "ROWS * " + features, "The row of each non-zero input, input feature by input feature."));
      type.addField(floats(COLUMN_VALUE, "ROWS * " + features, "The value of each non-zero input, input feature by input feature."));
    }
    type.addMethod(indexRows());
    type.addMethod(indexByteRows());
    type.addMethod(copyPackedBytes());
    type.addMethod(decodeBytes());
    type.addMethod(decodePackedBytes());
    type.addMethod(indexColumns(threads));
    if (vector) {
      type.addMethod(indexPackedPairs());
      type.addMethod(decodePackedPairs());
    }
  }

  /** Whether the column index is over pairs of features (the vector kernels'), built before the forward pass. */
  boolean indexesPairs() {
    return vector;
  }

  /** The call that indexes part {@code part} of {@code parts} of the rows of a freshly loaded batch. */
  static String indexRowsCall(String rows, String part, String parts) {
    return "indexInputRows(" + rows + ", " + part + ", " + parts + ")";
  }

  /**
   * The statement that decides, once every part has indexed its rows, whether the batch is sparse:
   * with {@code threads}, part 1's count only when the worker took part 1 (after {@code useThreads(1)}
   * it holds the last two-thread batch's).
   */
  CodeBlock decideCall(boolean threads) {
    CodeBlock decide = threads
        ? CodeBlock.of("$L = $L[0] + (worker != null ? $L[1] : 0) <= rows * $L / 2;\n", SPARSE, PART_COUNT, PART_COUNT, features)
        : CodeBlock.of("$L = $L[0] <= rows * $L / 2;\n", SPARSE, PART_COUNT, features);
    return vector ? CodeBlock.builder().add(decide).addStatement("$L = false", PAIRS_INDEXED).build() : decide;
  }

  /** The condition under which the forward pass builds the pairs' column index from the row index: a sparse batch not indexed from its pairs. */
  static String pairsFromRowsCondition() {
    return SPARSE + " && !" + PAIRS_INDEXED;
  }

  /** The call that builds the scalar kernels' column index from the row index, before the weight gradient. */
  static String indexColumnsCall(String rows) {
    return "indexInputColumns(" + rows + ")";
  }

  /**
   * The call that builds part {@code part} of {@code parts} of the vector kernels' column index of
   * pairs from the row index, before the forward pass, which reads it as the weight gradient does.
   */
  static String indexPairsCall(String rows, String part, String parts) {
    return "indexInputPairs(" + rows + ", " + part + ", " + parts + ")";
  }

  private MethodSpec indexRows() {
    return MethodSpec.methodBuilder("indexInputRows").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Indexes the non-zero inputs of part {@code part} of the batch's rows, in that part's region of the index.\n")
        .addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .addStatement("int i0 = rows * part / parts, i1 = rows * (part + 1) / parts")
        .addStatement("int count = i0 * $L", features)
        .beginControlFlow("for (int i = i0; i < i1; i++)")
        .addStatement("$L[i] = count", ROW_START)
        .addStatement("int xi = i * $L", features)
        .addStatement("int k = 0")
        .addCode(vector ? skipZeroVectors() : CodeBlock.of(""))
        .addComment("written always, kept only when non-zero: no branch to mispredict")
        .beginControlFlow("for (; k < $L; k++)", features)
        .addStatement("float v = $L[xi + k]", input)
        .addStatement("$L[count] = k", ROW_COLUMN)
        .addStatement("$L[count] = v", ROW_VALUE)
        .addStatement("count += v != 0f ? 1 : 0")
        .endControlFlow()
        .addStatement("$L[i] = count", ROW_END)
        .endControlFlow()
        .addStatement("$L[part] = count - i0 * $L", PART_COUNT, features)
        .addCode(countPartColumns())
        .build();
  }

  /**
   * Each part counts the input features of its rows' non-zero inputs, just indexed and near the core,
   * for the column index ({@link #indexColumns}), whose counting pass was on the worker's path
   * while the calling thread had less to do (the MNIST example: the calling thread waited 6-28 µs a
   * step for it).
   */
  private int countStride() {
    return features + 16;
  }

  /** Pairs of adjacent input features, the last one alone when their number is odd. */
  private int pairs() {
    return (features + 1) / 2;
  }

  private CodeBlock countPartColumns() {
    return CodeBlock.builder()
        .addStatement("int counted = part * $L", countStride())
        .addStatement("$T.fill($L, counted, counted + $L, 0)", Arrays.class, PART_COLUMN_COUNT, features)
        .beginControlFlow("for (int p = i0 * $L; p < count; p++)", features)
        .addStatement("$L[counted + $L[p]]++", PART_COLUMN_COUNT, ROW_COLUMN)
        .endControlFlow()
        .build();
  }

  /** A row in blocks of {@link #FLOAT_BLOCK}: one test skips a block of zeros; the others are indexed one by one. */
  private CodeBlock skipZeroVectors() {
    return CodeBlock.builder()
        .beginControlFlow("for (; k + $L <= $L; k += $L)", FLOAT_BLOCK, features, FLOAT_BLOCK)
        .beginControlFlow("if (anyNonZero($L, xi + k))", input)
        .beginControlFlow("for (int l = k; l < k + $L; l++)", FLOAT_BLOCK)
        .addStatement("float v = $L[xi + l]", input)
        .addStatement("$L[count] = l", ROW_COLUMN)
        .addStatement("$L[count] = v", ROW_VALUE)
        .addStatement("count += v != 0f ? 1 : 0")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * Indexes part of a batch of byte samples straight from the caller's bytes into the row index
   * (each part its rows, in its region, as {@link #indexRows}), so that no floats are copied for a
   * sparse batch. A table whose zero byte is not zero counts every feature: the batch is then
   * too dense for the index and {@link #decodeBytes} decodes it.
   */
  MethodSpec indexByteRows() {
    CodeBlock.Builder scan = CodeBlock.builder().addStatement("int k = 0");
    if (vector) {
      scan.beginControlFlow("for (; k + $L <= $L; k += $L)", BYTE_BLOCK, features, BYTE_BLOCK)
          .beginControlFlow("if (anyNonZero(features, from + k))")
          .beginControlFlow("for (int l = k; l < k + $L; l++)", BYTE_BLOCK)
          .add(indexByte("l"))
          .endControlFlow()
          .endControlFlow()
          .endControlFlow();
    }
    scan.beginControlFlow("for (; k < $L; k++)", features)
        .add(indexByte("k"))
        .endControlFlow();
    return MethodSpec.methodBuilder(INDEX_BYTE_ROWS).addModifiers(Modifier.PRIVATE)
        .addJavadoc("Indexes the non-zero bytes of part {@code part} of the batch's rows, in that part's region of the index.\n")
        .addParameter(byte[].class, "features").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .addStatement("int i0 = rows * part / parts, i1 = rows * (part + 1) / parts")
        .beginControlFlow("if (byteValues[0] != 0f)")
        .addStatement("$L[part] = (i1 - i0) * $L", PART_COUNT, features)
        .addStatement("return")
        .endControlFlow()
        .addComment("The batch's samples lie anywhere in the caller's bytes: indexed one after the other, each one's")
        .addComment("first cache lines would miss in turn. Reading a byte of every line of the part's samples first")
        .addComment("lets the misses overlap (the part indexes about 15% faster on MNIST).")
        .addStatement("int touched = 0")
        .beginControlFlow("for (int i = i0; i < Math.min(i1, n); i++)")
        .addStatement("int from = samples[first + i] * $L", features)
        .beginControlFlow("for (int o = 0; o < $L; o += 64)", features)
        .addStatement("touched += features[from + o]")
        .endControlFlow()
        .addStatement("touched += features[from + $L]", features - 1)
        .endControlFlow()
        .addStatement("$L[part] = touched", PART_TOUCHED)
        .addCode(indexPartRows(CodeBlock.builder()
            .addStatement("int from = samples[first + i] * $L", features)
            .add(scan.build())
            .build()))
        .build();
  }

  /**
   * The rows of a part of a batch, each indexed by {@code sample} (which adds the non-zero inputs of
   * the batch's sample {@code i} at {@code count}) into the part's region of the row index; padding
   * rows are empty.
   */
  private CodeBlock indexPartRows(CodeBlock sample) {
    return CodeBlock.builder()
        .addStatement("int count = i0 * $L", features)
        .beginControlFlow("for (int i = i0; i < i1; i++)")
        .addStatement("$L[i] = count", ROW_START)
        .beginControlFlow("if (i < n)")
        .add(sample)
        .endControlFlow()
        .addStatement("$L[i] = count", ROW_END)
        .endControlFlow()
        .addStatement("$L[part] = count - i0 * $L", PART_COUNT, features)
        .add(countPartColumns())
        .build();
  }

  /**
   * {@link #indexByteRows} for samples held as their non-zero bytes (the runtime's
   * {@code PackedBytes}): each part copies its samples' entries into its region of the row index,
   * with no test but the list's end, where testing every byte mispredicts a branch at nearly every
   * run of zeros. The entries were checked to be whole and to fit the rows' regions; a feature past
   * the input is refused.
   */
  MethodSpec copyPackedBytes() {
    return MethodSpec.methodBuilder(COPY_PACKED_BYTES).addModifiers(Modifier.PRIVATE)
        .addJavadoc("Indexes part {@code part} of the batch's rows from their packed non-zero bytes, in that part's region of the index.\n")
        .addParameter(byte[].class, "packed").addParameter(int[].class, "starts").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .addStatement("int i0 = rows * part / parts, i1 = rows * (part + 1) / parts")
        .addCode(touchSamples("packed", 64, "i0", "Math.min(i1, n)", "part"))
        .addCode(indexPartRows(CodeBlock.builder()
            .addStatement("int s = samples[first + i]")
            .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p += 3)")
            .addStatement("int k = $L", PACKED_FEATURE)
            .beginControlFlow("if (k >= $L)", features)
            .addStatement("throw new $T(\"sample \" + s + \" lists feature \" + k + \" of $L\")", IllegalArgumentException.class,
                features)
            .endControlFlow()
            .addStatement("$L[count] = k", ROW_COLUMN)
            .addStatement("$L[count] = byteValues[packed[p + 2] & 0xFF]", ROW_VALUE)
            .addStatement("count++")
            .endControlFlow()
            .build()))
        .build();
  }

  /**
   * Reads one element of every cache line ({@code perLine} elements of {@code array}) of the batch's
   * rows {@code from..to}, whose samples' entries start at {@code starts}, keeping their sum in
   * {@code PART_TOUCHED[at]} so that the reads are done: the samples lie anywhere in the caller's array,
   * and read first, their misses overlap instead of coming one after the other as each is indexed.
   */
  private static CodeBlock touchSamples(String array, int perLine, String from, String to, String at) {
    return CodeBlock.builder()
        .add("// The samples' entries lie anywhere in the caller's array: reading one of every cache line of them\n")
        .add("// first lets the misses overlap.\n")
        .addStatement("int touched = 0")
        .beginControlFlow("for (int i = $L; i < $L; i++)", from, to)
        .addStatement("int s = samples[first + i]")
        .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p += $L)", perLine)
        .addStatement("touched += $L[p]", array)
        .endControlFlow()
        .endControlFlow()
        .addStatement("$L[$L] = touched", PART_TOUCHED, at)
        .build();
  }

  /** Decodes a batch of packed byte samples into the input buffer and zeroes its padding rows, for the dense kernels. */
  MethodSpec decodePackedBytes() {
    return MethodSpec.methodBuilder("decodePackedBytes").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Decodes the batch's packed byte samples into {@code $L}, for a batch too dense for the index.\n", input)
        .addParameter(byte[].class, "packed").addParameter(int[].class, "starts").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows")
        .addStatement("$T.fill($L, 0, rows * $L, 0f)", Arrays.class, input, features)
        .beginControlFlow("for (int i = 0; i < n; i++)")
        .addStatement("int s = samples[first + i], xi = i * $L", features)
        .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p += 3)")
        .addStatement("$L[xi + ($L)] = byteValues[packed[p + 2] & 0xFF]", input, PACKED_FEATURE)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /** Decodes a batch of byte samples into the input buffer and zeroes its padding rows, for the dense kernels. */
  MethodSpec decodeBytes() {
    return MethodSpec.methodBuilder("decodeBytes").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Decodes the batch's byte samples into {@code $L}, for a batch too dense for the index.\n", input)
        .addParameter(byte[].class, "features").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows")
        .beginControlFlow("for (int i = 0; i < n; i++)")
        .addStatement("int from = samples[first + i] * $L, xi = i * $L", features, features)
        .beginControlFlow("for (int k = 0; k < $L; k++)", features)
        .addStatement("$L[xi + k] = byteValues[features[from + k] & 0xFF]", input)
        .endControlFlow()
        .endControlFlow()
        .addStatement("$T.fill($L, n * $L, rows * $L, 0f)", Arrays.class, input, features, features)
        .build();
  }

  /** Indexes byte {@code from + at} of a sample: written always, kept only when non-zero. */
  private static CodeBlock indexByte(String at) {
    return CodeBlock.builder()
        .addStatement("int b = features[from + $L] & 0xFF", at)
        .addStatement("$L[count] = $L", ROW_COLUMN, at)
        .addStatement("$L[count] = byteValues[b]", ROW_VALUE)
        .addStatement("count += b != 0 ? 1 : 0")
        .build();
  }

  private MethodSpec indexColumns(boolean threads) {
    if (!vector) {
      return MethodSpec.methodBuilder("indexInputColumns").addModifiers(Modifier.PRIVATE)
          .addParameter(int.class, "rows")
          .addJavadoc("Builds the column index from the row index (a counting sort, so rows stay in order).\n")
          .addJavadoc("The parts counted each feature's non-zero inputs as they indexed their rows.\n")
          .addStatement("$L[0] = 0", COLUMN_START)
          .beginControlFlow("for (int k = 0; k < $L; k++)", features)
          .addStatement("$L[k + 1] = $L[k] + $L", COLUMN_START, COLUMN_START, partsSum(PART_COLUMN_COUNT, countStride(), "k", threads))
          .addStatement("$L[k] = $L[k]", COLUMN_CURSOR, COLUMN_START)
          .endControlFlow()
          .addCode(scatterRows())
          .build();
    }
    // a pair's room with two parts, both of which counted
    String room = String.format("%1$s[2 * j] + %1$s[2 * j + 1] + %1$s[%2$d + 2 * j] + %1$s[%2$d + 2 * j + 1]", PART_COLUMN_COUNT,
        countStride());
    return MethodSpec.methodBuilder("indexInputPairs").addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .addJavadoc("Builds part {@code part} of {@code parts} of the column index of pairs of features from the row index (a\n"
            + "counting sort, so rows stay in order): where each of the part's pairs' region starts, where its rows\n"
            + "from ROWS / 2 on start in it, and where its entries end. The parts counted each feature's non-zero\n"
            + "inputs as they indexed their rows. Two parts split the pairs where half of the regions' room lies\n"
            + "before, each computing the same place from the same counts, so that each scatters about half of the\n"
            + "entries, into its own regions.\n")
        .addStatement("int j0 = 0, j1 = $L, regions = 0", pairs())
        .beginControlFlow("if (parts > 1)")
        .addStatement("int total = 0")
        .beginControlFlow("for (int j = 0; j < $L; j++)", pairs())
        .addStatement("total += $L", room)
        .endControlFlow()
        .addStatement("int split = 0, before = 0")
        .beginControlFlow("for (int j = 0; j < $L; j++)", pairs())
        .addStatement("int room = $L", room)
        .beginControlFlow("if (2 * (before + room) > total)")
        .addStatement("break")
        .endControlFlow()
        .addStatement("before += room")
        .addStatement("split = j + 1")
        .endControlFlow()
        .beginControlFlow("if (part == 0)")
        .addStatement("j1 = split")
        .nextControlFlow("else")
        .addStatement("j0 = split")
        .addStatement("regions = before")
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int j = j0; j < j1; j++)")
        .addComment("the last feature's count of an odd number is past the features, and zero")
        .addStatement("$L[2 * j] = $L", FEATURE_ROWS, partsSum(PART_COLUMN_COUNT, countStride(), "2 * j", threads))
        .addStatement("$L[2 * j + 1] = $L", FEATURE_ROWS, partsSum(PART_COLUMN_COUNT, countStride(), "2 * j + 1", threads))
        .addStatement("$L[j] = $L[j] = regions", PAIR_START, PAIR_END)
        .addStatement("regions += $L[2 * j] + $L[2 * j + 1]", FEATURE_ROWS, FEATURE_ROWS)
        .endControlFlow()
        .addStatement("int half = Math.min(rows, ROWS / 2)")
        .addCode(scatterPairRows("0", "half"))
        .addStatement("$T.arraycopy($L, j0, $L, j0, j1 - j0)", System.class, PAIR_END, PAIR_MIDDLE)
        .addComment("the other rows' entries follow on in each region")
        .addStatement("$T.arraycopy($L, j0, $L, $L + j0, j1 - j0)", System.class, PAIR_END, PAIR_START, pairs())
        .addCode(scatterPairRows("half", "rows"))
        .build();
  }

  /** Part 0's count at {@code at} in {@code counts}, and with {@code threads} part 1's when the worker took part 1. */
  private static String partsSum(String counts, int stride, String at, boolean threads) {
    return threads ? counts + "[" + at + "] + (worker != null ? " + counts + "[" + stride + " + " + at + "] : 0)" : counts + "[" + at + "]";
  }

  /** The counting sort's second pass over the rows: each non-zero input to its feature's next place. */
  private static CodeBlock scatterRows() {
    return CodeBlock.builder()
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .beginControlFlow("for (int p = $L[i]; p < $L[i]; p++)", ROW_START, ROW_END)
        .addStatement("int q = $L[$L[p]]++", COLUMN_CURSOR, ROW_COLUMN)
        .addStatement("$L[q] = i", COLUMN_ROW)
        .addStatement("$L[q] = $L[p]", COLUMN_VALUE, ROW_VALUE)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * The counting sort's second pass over rows {@code from..to} into the pairs' index, for the pairs
   * from {@code j0} to {@code j1} (a row's inputs of them are found by a binary search, as its
   * inputs are in feature order): a row's non-zero input and, when it is a pair's even feature and
   * the odd one follows it, that one too, to one entry. Without a branch on the data: the entry's
   * other value is the next input's, its bits masked to zero unless it shares the entry. The pairs a
   * row's entries go to only grow, so no entry waits for the one before it to have moved its pair's
   * cursor.
   */
  private static CodeBlock scatterPairRows(String from, String to) {
    return CodeBlock.builder()
        .beginControlFlow("for (int i = $L; i < $L; i++)", from, to)
        .addStatement("int p = $L[i], e = $L[i]", ROW_START, ROW_END)
        .add("// from the row's first input of the part's pairs (the row's inputs are in feature order)\n")
        .beginControlFlow("for (int hi = j0 > 0 ? e : p; p < hi; )")
        .addStatement("int mid = (p + hi) >>> 1")
        .beginControlFlow("if ($L[mid] < 2 * j0)", ROW_COLUMN)
        .addStatement("p = mid + 1")
        .nextControlFlow("else")
        .addStatement("hi = mid")
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("while (p < e)")
        .addStatement("int c = $L[p], odd = c & 1, next = Math.min(p + 1, e - 1)", ROW_COLUMN)
        .beginControlFlow("if (c >= 2 * j1)")
        .addStatement("break")
        .endControlFlow()
        .addStatement("int both = (odd ^ 1) & ($L[next] == c + 1 ? 1 : 0)", ROW_COLUMN)
        .addStatement("int q = $L[c >> 1]++", PAIR_END)
        .addStatement("$L[q] = i", PAIR_ROW)
        .addStatement("$L[2 * q + odd] = $L[p]", PAIR_VALUE, ROW_VALUE)
        .addStatement("$L[2 * q + (odd ^ 1)] = Float.intBitsToFloat(Float.floatToRawIntBits($L[next]) & -both)", PAIR_VALUE, ROW_VALUE)
        .addStatement("p += 1 + both")
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * The pairs' column index straight from a batch of samples held as their pairs of features (the
   * runtime's {@code PackedPairs}), with no row index: each half of the rows (one a part with the
   * worker, both without) counts its entries per pair, then scatters them, each to its pair's next
   * place, in an area of its own (the second from {@code ROWS / 2} pairs' worth of entries on), so
   * that the parts share no cache line. The entries are whole pairs in pair order, which the
   * samples' own lists were not: a step of one entry, with no test of the next input, where
   * building the pairs from the row index waited on that test for each input (MNIST, 2 threads:
   * 21.5 µs a step instead of 61 for indexing the rows and then the pairs). A pair past the input is refused.
   */
  private MethodSpec indexPackedPairs() {
    CodeBlock.Builder check = CodeBlock.builder();
    String pastInput = features % 2 == 1 ? "j >= " + pairs() + " || j == " + (pairs() - 1) + " && entry >>> 24 != 0" : "j >= " + pairs();
    check.beginControlFlow("if ($L)", pastInput)
        .addStatement("throw new $T(\"sample \" + s + \" lists pair \" + j + \" of $L features\")", IllegalArgumentException.class, features)
        .endControlFlow();
    return MethodSpec.methodBuilder(INDEX_PACKED_PAIRS).addModifiers(Modifier.PRIVATE)
        .addJavadoc("Indexes half {@code part} of the batch's rows, or both halves when {@code parts} is 1, from their samples' pairs.\n")
        .addParameter(int[].class, "entries").addParameter(int[].class, "starts").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .beginControlFlow("for (int half = part; half < 2; half += parts)")
        .addStatement("int h0 = half * (ROWS / 2), h1 = Math.min(Math.min(rows, n), h0 + ROWS / 2)")
        .addStatement("int counted = half * $L", pairs())
        .addStatement("$T.fill($L, counted, counted + $L, 0L)", Arrays.class, HALF_PAIR_COUNT, pairs())
        .addCode(touchSamples("entries", 16, "h0", "h1", "half"))
        .addComment("a row more for the pair, and for each of its features that is not zero: no branch on the bytes")
        .beginControlFlow("for (int i = h0; i < h1; i++)")
        .addStatement("int s = samples[first + i]")
        .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p++)")
        .addStatement("int entry = entries[p], j = entry & 0xFFFF")
        .addCode(check.build())
        .addStatement("$L[counted + j] += 1L + ((long) (((entry >>> 16 & 0xFF) + 0xFF) >>> 8) << 21) + ((long) (((entry >>> 24) + 0xFF) >>> 8) << 42)",
            HALF_PAIR_COUNT)
        .endControlFlow()
        .endControlFlow()
        .addStatement("int[] cursor = half == 0 ? $L : $L", PAIR_MIDDLE, PAIR_END)
        .addStatement("int region = half * (ROWS / 2) * $L", pairs())
        .beginControlFlow("for (int j = 0; j < $L; j++)", pairs())
        .addStatement("$L[counted + j] = cursor[j] = region", PAIR_START)
        .addStatement("region += (int) ($L[counted + j] & 0x1FFFFF)", HALF_PAIR_COUNT)
        .endControlFlow()
        .beginControlFlow("for (int i = h0; i < h1; i++)")
        .addStatement("int s = samples[first + i]")
        .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p++)")
        .addStatement("int entry = entries[p]")
        .addStatement("int q = cursor[entry & 0xFFFF]++")
        .addStatement("$L[q] = i", PAIR_ROW)
        .addStatement("$L[2 * q] = byteValues[entry >>> 16 & 0xFF]", PAIR_VALUE)
        .addStatement("$L[2 * q + 1] = byteValues[entry >>> 24]", PAIR_VALUE)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * Once both halves of a batch are indexed from their pairs: each feature's rows, for the optimizer
   * step of the weight gradient, and whether the batch is sparse; {@code decode} runs when it is not.
   */
  CodeBlock decidePackedPairs(String decode) {
    return CodeBlock.builder()
        .addStatement("int nonZeros = 0")
        .beginControlFlow("for (int j = 0; j < $L; j++)", pairs())
        .addStatement("long count = $L[j] + $L[$L + j]", HALF_PAIR_COUNT, HALF_PAIR_COUNT, pairs())
        .addStatement("$L[2 * j] = (int) (count >>> 21 & 0x1FFFFF)", FEATURE_ROWS)
        .addStatement("$L[2 * j + 1] = (int) (count >>> 42)", FEATURE_ROWS)
        .addStatement("nonZeros += $L[2 * j] + $L[2 * j + 1]", FEATURE_ROWS, FEATURE_ROWS)
        .endControlFlow()
        .addStatement("$L = nonZeros <= rows * $L / 2", SPARSE, features)
        .addStatement("$L = true", PAIRS_INDEXED)
        .beginControlFlow("if (!$L)", SPARSE)
        .addStatement(decode)
        .endControlFlow()
        .build();
  }

  /** Decodes a batch of samples held as their pairs into the input buffer and zeroes its padding rows, for the dense kernels. */
  private MethodSpec decodePackedPairs() {
    return MethodSpec.methodBuilder("decodePackedPairs").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Decodes the batch's samples, held as their pairs (checked as they were indexed), into {@code $L}, for a batch too\n"
            + "dense for the index.\n", input)
        .addParameter(int[].class, "entries").addParameter(int[].class, "starts").addParameter(float[].class, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(int.class, "rows")
        .addStatement("$T.fill($L, 0, rows * $L, 0f)", Arrays.class, input, features)
        .beginControlFlow("for (int i = 0; i < n; i++)")
        .addStatement("int s = samples[first + i], xi = i * $L", features)
        .beginControlFlow("for (int p = starts[s], e = starts[s + 1]; p < e; p++)")
        .addStatement("int entry = entries[p], k = 2 * (entry & 0xFFFF)")
        .addStatement("$L[xi + k] = byteValues[entry >>> 16 & 0xFF]", input)
        .addCode(features % 2 == 1 ? CodeBlock.of("if (k + 1 < $L) ", features) : CodeBlock.of(""))
        .addStatement("$L[xi + k + 1] = byteValues[entry >>> 24]", input)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /**
   * The arguments of a kernel over the row index: {@code (start, end, column, value)}, and for
   * the vector kernels a cursor per row and part.
   */
  String rowArguments() {
    return ROW_START + ", " + ROW_END + ", " + ROW_COLUMN + ", " + ROW_VALUE + (vector ? ", " + ROW_CURSOR : "");
  }

  /**
   * The arguments of a vector kernel over the pairs' column index: {@code (start, middle, end, row,
   * value, featureRows)}.
   */
  static String vectorColumnArguments() {
    return String.join(", ", PAIR_START, PAIR_MIDDLE, PAIR_END, PAIR_ROW, PAIR_VALUE, FEATURE_ROWS);
  }

  /** The arguments of the vector forward kernel over the pairs' column index: {@code (start, middle, end, row, value)}. */
  static String pairForwardArguments() {
    return String.join(", ", PAIR_START, PAIR_MIDDLE, PAIR_END, PAIR_ROW, PAIR_VALUE);
  }

  /** The arguments of a kernel over the column index: {@code (start, row, value)}. */
  static String columnArguments() {
    return COLUMN_START + ", " + COLUMN_ROW + ", " + COLUMN_VALUE;
  }

  private static FieldSpec ints(String name, String size, String doc) {
    return FieldSpec.builder(int[].class, name, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("new int[$L]", size).build();
  }

  private static FieldSpec floats(String name, String size, String doc) {
    return FieldSpec.builder(float[].class, name, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("new float[$L]", size).build();
  }
}
