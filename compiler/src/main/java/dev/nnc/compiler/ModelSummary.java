package dev.nnc.compiler;

import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.FlattenSpec;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's {@code model.summary()} for a checked model, as plain text:
 *
 * <pre>
 * Model: "Mnist"
 * ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
 * ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
 * ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
 * │ dense_1 (Dense)                 │ (None, 512)            │       401,920 │
 * ├─────────────────────────────────┼────────────────────────┼───────────────┤
 * │ dense_2 (Dense)                 │ (None, 10)             │         5,130 │
 * └─────────────────────────────────┴────────────────────────┴───────────────┘
 *  Total params: 407,050 (1.55 MB)
 *  Trainable params: 407,050 (1.55 MB)
 *  Non-trainable params: 0 (0.00 B)
 * </pre>
 *
 * <p>The column widths are the ones Keras 3 prints when its output is not a wide terminal (an
 * 80-column console: rich's table reduced from positions 0.45/0.80 of 76 characters), so the text
 * does not depend on where it is printed. A cell longer than its column widens the column instead
 * of wrapping. As Keras 3 does for a Sequential model, there is no row for the input. Parameters
 * are float32, so their memory is 4 bytes each, in Keras' units (1 KB = 1024 B).
 */
public final class ModelSummary {
  private ModelSummary() {}

  private static final String[] HEADERS = {"Layer (type)", "Output Shape", "Param #"};
  /** Content widths, without the one space of padding on each side. */
  private static final int[] KERAS_WIDTHS = {31, 22, 13};

  private static final int BYTES_PER_PARAMETER = Float.BYTES;

  /** The summary, one line per {@code \n}, ending with a line break. */
  public static String render(CheckedModel model) {
    List<String[]> rows = new ArrayList<>();
    for (LayerSpec layer : model.layers()) {
      rows.add(new String[] {
          layer.name() + " (" + kerasType(layer) + ")",
          Shapes.keras(layer.outputShape()),
          grouped(layer.parameterCount())});
    }

    int[] widths = KERAS_WIDTHS.clone();
    for (String[] row : rows) {
      for (int c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c], row[c].length());
    }

    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n");
    out.append(rule(widths, '┏', '━', '┳', '┓'));
    out.append(row(HEADERS, widths, '┃'));
    out.append(rule(widths, '┡', '━', '╇', '┩'));
    for (int r = 0; r < rows.size(); r++) {
      if (r > 0) out.append(rule(widths, '├', '─', '┼', '┤'));
      out.append(row(rows.get(r), widths, '│'));
    }
    out.append(rule(widths, '└', '─', '┴', '┘'));

    long trainable = model.parameterCount();
    out.append(" Total params: ").append(countAndSize(trainable)).append('\n');
    out.append(" Trainable params: ").append(countAndSize(trainable)).append('\n');
    out.append(" Non-trainable params: ").append(countAndSize(0)).append('\n');
    return out.toString();
  }

  /** The Keras layer class a layer corresponds to. */
  static String kerasType(LayerSpec layer) {
    return layer.accept(new LayerSpec.Visitor<String>() {
      @Override
      public String dense(DenseSpec d) {
        return "Dense";
      }

      @Override
      public String activation(ActivationSpec a) {
        return "Activation";
      }

      @Override
      public String dropout(DropoutSpec d) {
        return "Dropout";
      }

      @Override
      public String flatten(FlattenSpec f) {
        return "Flatten";
      }
    });
  }

  /** {@code 407,050}: Python's {@code f"{n:,}"}. */
  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Keras' {@code readable_memory_size}: two decimals in the largest unit below 1024 of it. */
  static String readableSize(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    for (String unit : units) {
      if (bytes / 1024 < 1) return String.format(Locale.ROOT, "%.2f %s", bytes, unit);
      bytes /= 1024;
    }
    return String.format(Locale.ROOT, "%.2f %s", bytes, units[units.length - 1]);
  }

  private static String countAndSize(long parameters) {
    return grouped(parameters) + " (" + readableSize((double) parameters * BYTES_PER_PARAMETER) + ")";
  }

  private static String rule(int[] widths, char left, char line, char cross, char right) {
    StringBuilder s = new StringBuilder().append(left);
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) s.append(cross);
      s.append(String.valueOf(line).repeat(widths[c] + 2));
    }
    return s.append(right).append('\n').toString();
  }

  /** Text columns left-aligned, the parameter count (the last column) right-aligned, as Keras. */
  private static String row(String[] cells, int[] widths, char bar) {
    StringBuilder s = new StringBuilder().append(bar);
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) s.append(bar);
      String padding = " ".repeat(widths[c] - cells[c].length());
      boolean rightAligned = c == widths.length - 1;
      s.append(' ').append(rightAligned ? padding + cells[c] : cells[c] + padding).append(' ');
    }
    return s.append(bar).append('\n').toString();
  }
}
