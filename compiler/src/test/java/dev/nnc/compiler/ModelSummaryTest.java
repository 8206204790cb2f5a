package dev.nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.FlattenSpec;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.compiler.model.TrainSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

  private static CheckedModel model(String name, List<Integer> input, List<LayerSpec> layers) {
    return new CheckedModel(
        name, name.toLowerCase() + ".nn", input, layers,
        new LossSpec(LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY, 5),
        new OptimizerSpec.RmsProp(0.001, 0.9, 0, 1e-7, 6),
        List.of("accuracy"), new TrainSpec(128, 5, 42));
  }

  private static DenseSpec dense(String name, int line, int inputs, int units, Activation activation) {
    return new DenseSpec(name, line, inputs, units, activation, true, "glorot_uniform", "zeros");
  }

  @Test
  void mnistMatchesKeras3() {
    CheckedModel mnist = model("Mnist", List.of(784), List.of(
        dense("dense_1", 2, 784, 512, Activation.RELU),
        dense("dense_2", 3, 512, 10, Activation.SOFTMAX)));

    assertEquals("""
        Model: "Mnist"
        ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
        ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
        ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
        │ dense_1 (Dense)                 │ (None, 512)            │       401,920 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dense_2 (Dense)                 │ (None, 10)             │         5,130 │
        └─────────────────────────────────┴────────────────────────┴───────────────┘
         Total params: 407,050 (1.55 MB)
         Trainable params: 407,050 (1.55 MB)
         Non-trainable params: 0 (0.00 B)
        """, ModelSummary.render(mnist));
  }

  @Test
  void layersWithoutParametersShowZeroAndTheirKerasType() {
    CheckedModel model = model("Digits", List.of(28, 28), List.of(
        new FlattenSpec("flatten_1", 2, List.of(28, 28)),
        dense("dense_1", 3, 784, 64, Activation.LINEAR),
        new ActivationSpec("activation_1", 4, List.of(64), Activation.RELU),
        new DropoutSpec("dropout_1", 5, List.of(64), 0.5),
        new DenseSpec("dense_2", 6, 64, 10, Activation.SOFTMAX, false, "glorot_uniform", "zeros")));

    assertEquals("""
        Model: "Digits"
        ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
        ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
        ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
        │ flatten_1 (Flatten)             │ (None, 784)            │             0 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dense_1 (Dense)                 │ (None, 64)             │        50,240 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ activation_1 (Activation)       │ (None, 64)             │             0 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dropout_1 (Dropout)             │ (None, 64)             │             0 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dense_2 (Dense)                 │ (None, 10)             │           640 │
        └─────────────────────────────────┴────────────────────────┴───────────────┘
         Total params: 50,880 (198.75 KB)
         Trainable params: 50,880 (198.75 KB)
         Non-trainable params: 0 (0.00 B)
        """, ModelSummary.render(model));
  }

  @Test
  void aCellWiderThanItsColumnWidensTheColumn() {
    CheckedModel model = model("Wide", List.of(4), List.of(
        dense("dense_with_a_very_long_name_1", 2, 4, 2, Activation.SOFTMAX)));

    String table = ModelSummary.render(model);

    assertEquals(
        "│ dense_with_a_very_long_name_1 (Dense) │ (None, 2)              │            10 │",
        table.lines().filter(l -> l.startsWith("│")).findFirst().orElseThrow());
  }

  @Test
  void sizesUseKerasUnits() {
    assertEquals("0.00 B", ModelSummary.readableSize(0));
    assertEquals("1023.00 B", ModelSummary.readableSize(1023));
    assertEquals("1.00 KB", ModelSummary.readableSize(1024));
    assertEquals("1.55 MB", ModelSummary.readableSize(407_050 * 4.0));
  }
}
