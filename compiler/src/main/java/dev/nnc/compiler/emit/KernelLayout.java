package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * How the class keeps a dense layer's kernel when not in Keras' row-major {@code [inputs][units]}:
 * the layout its kernels read fastest. The kernel's gradient and optimizer slots share it (the
 * optimizer works element by element, so it does not care); the class converts only where weights
 * or gradients enter or leave it.
 */
sealed interface KernelLayout {
  TypeName FLOATS = TypeName.get(float[].class);

  /** Statements copying {@code from}, in Keras' layout, into {@code to}, in this one. */
  CodeBlock fromKeras(String from, String to);

  /** Statements copying {@code from}, in this layout, into {@code to}, in Keras'. */
  CodeBlock toKeras(String from, String to);

  /** The length of an array holding {@code floats} in this layout, a Java expression. */
  default String arrayLength(int floats) {
    return plus(start(), floats);
  }

  /** The static method the conversions call; the class carries it once. */
  MethodSpec converter();

  /**
   * Where the layout's first element sits in its arrays (kernel, gradient and optimizer slots
   * alike), a Java expression; the arrays hold that many floats more.
   */
  default String start() {
    return "0";
  }

  /** The converters {@code layouts} call, each once, in the order first called. */
  static Collection<MethodSpec> converters(Stream<KernelLayout> layouts) {
    return layouts.map(KernelLayout::converter)
        .collect(Collectors.toMap(MethodSpec::name, c -> c, (a, b) -> a, LinkedHashMap::new))
        .values();
  }

  /** {@code floats} past {@code start} (a layout's {@link #start()}), a Java expression: just the number from 0. */
  static String plus(String start, int floats) {
    return start.equals("0") ? String.valueOf(floats) : start + " + " + floats;
  }

  /** {@code [units][inputs]}: a narrow layer's products all run along its inputs. */
  record Transposed(int inputs, int units) implements KernelLayout {
    @Override
    public CodeBlock fromKeras(String from, String to) {
      return CodeBlock.of("transpose($L, $L, $L, $L);\n", from, inputs, units, to);
    }

    @Override
    public CodeBlock toKeras(String from, String to) {
      return CodeBlock.of("transpose($L, $L, $L, $L);\n", from, units, inputs, to);
    }

    @Override
    public MethodSpec converter() {
      return MethodSpec.methodBuilder("transpose").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("{@code to = from^T} for a row-major {@code [rows][columns]} matrix {@code from}.\n")
          .addParameter(FLOATS, "from").addParameter(int.class, "rows").addParameter(int.class, "columns").addParameter(FLOATS, "to")
          .beginControlFlow("for (int r = 0; r < rows; r++)")
          .beginControlFlow("for (int c = 0; c < columns; c++)")
          .addStatement("to[c * rows + r] = from[r * columns + c]")
          .endControlFlow()
          .endControlFlow()
          .build();
    }
  }

  /**
   * Column panels: the first {@code units - units % width} columns as {@code [panel][inputs][width]},
   * each panel one contiguous block, then the rest as {@code [inputs][units % width]}. A row-major
   * kernel's rows lie a power of two apart, so a panel's slice of every row falls into a few cache
   * sets and evicts itself; a contiguous panel stays in cache. {@code width} is a Java expression
   * (a multiple of the vector length, fixed when the class loads).
   *
   * <p>The panels start {@link #START_FLOATS} floats into their arrays, so that in a JVM whose objects
   * lie on 64-byte boundaries ({@code -XX:ObjectAlignmentInBytes=64}, which {@code bin/nnc train}
   * sets) every panel row does too: a 64-byte vector load that straddles two cache lines costs two,
   * and the input layer's sparse kernels, which load one vector per multiply-add, ran 1.45 times
   * slower on weights 16 bytes off a line. Elsewhere the offset only leaves the alignment to chance,
   * but for a large array: see {@link #REGION_STARTED_FLOATS}.
   */
  record Panels(int inputs, int units, String width) implements KernelLayout {
    /** The generated class's constant for the panels' start. */
    static final String START = "PANEL_START";
    /** The generated class's constant for {@link #REGION_STARTED_FLOATS}. */
    static final String REGION_STARTED = "REGION_STARTED_FLOATS";

    /**
     * The least length, in floats, of a large panel array: 2 MiB and its header, more than half a
     * region of HotSpot's default collector (G1) with regions of up to 4 MiB, which it has for
     * heaps below 8 GiB. G1 starts such an array at a region's first byte and never moves it, so
     * its data start 16 bytes past a 64-byte boundary and its panels, {@link #START_FLOATS} floats
     * in, on one, with no JVM option. Elsewhere an array lies where the collector put it, 8 bytes
     * aligned: on the MNIST predictor (AVX-512), single images took 4.2-4.6 µs in the runs where its
     * kernel happened to lie off the lines, 3.2-3.5 on them. Only arrays of a quarter of this or
     * more are made this long, so that at most three quarters of one is padding.
     */
    static final int REGION_STARTED_FLOATS = 1 << 19;

    /** Whether an array of {@code floats} in this layout is made {@link #REGION_STARTED_FLOATS} long at least. */
    static boolean regionStarted(int floats) {
      return floats >= REGION_STARTED_FLOATS / 4;
    }

    /** The generated class's {@link #REGION_STARTED} constant. */
    static FieldSpec regionStartedField() {
      return FieldSpec.builder(int.class, REGION_STARTED, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The least length of a large panel array: over half of a region of HotSpot's default collector,\n"
              + "G1, for heaps below 8 GiB. G1 starts such an array at a region's first byte and never moves it, so\n"
              + "that from {@code PANEL_START} on its rows lie on cache lines with no JVM option (the MNIST input\n"
              + "layer's kernels ran up to 1.45 times as long off them); elsewhere only speed changes.\n")
          .initializer("$L", REGION_STARTED_FLOATS)
          .build();
    }

    @Override
    public String arrayLength(int floats) {
      return arrayLength(plus(START, floats), floats);
    }

    /**
     * The length of an array of {@code length} (a Java expression) that goes with a panel kernel of
     * {@code kernelFloats}: made {@link #REGION_STARTED_FLOATS} at least where the kernel's own arrays are.
     */
    static String arrayLength(String length, int kernelFloats) {
      return regionStarted(kernelFloats) ? "Math.max(" + length + ", " + REGION_STARTED + ")" : length;
    }

    /**
     * Floats from an array's data to the next 64-byte boundary, in a JVM that puts objects on
     * 64-byte boundaries: HotSpot's array header is 16 bytes (with compressed class pointers, its
     * default), and 16 + 4 * 12 = 64.
     */
    static final int START_FLOATS = 12;

    @Override
    public String start() {
      return START;
    }

    @Override
    public CodeBlock fromKeras(String from, String to) {
      return CodeBlock.of("panels($L, $L, $L, $L, $L, true);\n", from, to, inputs, units, width);
    }

    @Override
    public CodeBlock toKeras(String from, String to) {
      return CodeBlock.of("panels($L, $L, $L, $L, $L, false);\n", to, from, inputs, units, width);
    }

    @Override
    public MethodSpec converter() {
      return MethodSpec.methodBuilder("panels").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("Copies a row-major {@code [inputs][units]} matrix into column panels of {@code width} (or, not {@code pack}, back).\n")
          .addParameter(FLOATS, "rowMajor").addParameter(FLOATS, "panels").addParameter(int.class, "inputs")
          .addParameter(int.class, "units").addParameter(int.class, "width").addParameter(boolean.class, "pack")
          .addStatement("int paneled = units - units % width")
          .addStatement("int rest = units - paneled")
          .addComment("one copy per panel row: the constructor runs this before the JIT has compiled it")
          .beginControlFlow("for (int k = 0; k < inputs; k++)")
          .beginControlFlow("for (int j = 0; j <= paneled; j += width)")
          .addStatement("int p = $L + j * inputs + k * (j < paneled ? width : rest)", START)
          .addStatement("int length = j < paneled ? width : rest")
          .beginControlFlow("if (pack)")
          .addStatement("System.arraycopy(rowMajor, k * units + j, panels, p, length)")
          .nextControlFlow("else")
          .addStatement("System.arraycopy(panels, p, rowMajor, k * units + j, length)")
          .endControlFlow()
          .endControlFlow()
          .endControlFlow()
          .build();
    }
  }
}
