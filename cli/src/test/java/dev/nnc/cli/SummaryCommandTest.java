package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryCommandTest {

  @TempDir
  Path dir;

  @Test
  void printsKerasSummaryOfMnist() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);

    Cli result = Cli.run("summary", source.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals("", result.err());
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
        """, result.out());
  }

  @Test
  void aBadModelPrintsItsDiagnosticsOnly() throws Exception {
    Path source = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);

    Cli result = Cli.run("summary", source.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("", result.out());
    assertTrue(result.err().startsWith(source + ":2:"), result::toString);
  }

  @Test
  void takesOneFile() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);

    Cli result = Cli.run("summary", source.toString(), source.toString());

    assertEquals(2, result.exitCode(), result::toString);
  }
}
