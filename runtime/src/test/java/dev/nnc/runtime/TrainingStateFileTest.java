package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file: an .npz whose integers stay exact, readable by the ordinary .npz reader too. */
class TrainingStateFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsExactlyAndIsAnOrdinaryNpz() {
    TrainingState state = new TrainingState();
    state.putFloats("dense_1/kernel", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE});
    state.putLong("optimizer/iterations", 1234567890123L);
    state.putFloat("optimizer/learning_rate", 0.001f);
    state.putLongs("fit/dropout_state", new long[] {-5, 0x9e3779b97f4a7c15L});
    state.putDoubles("history/loss", List.of(0.1, 1e-300));
    Path file = dir.resolve("c.npz");
    state.write(file);

    TrainingState read = TrainingState.read(file);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE}, read.floats("dense_1/kernel", new int[] {2, 3}));
    assertEquals(1234567890123L, read.longScalar("optimizer/iterations"), "beyond float's 2^24");
    assertEquals(0.001f, read.floatScalar("optimizer/learning_rate"));
    assertArrayEquals(new long[] {-5, 0x9e3779b97f4a7c15L}, read.longs("fit/dropout_state"));
    assertEquals(List.of(0.1, 1e-300), read.doubles("history/loss"));

    Map<String, NpyArray> npz = Npz.read(file);
    assertEquals(List.of("dense_1/kernel", "optimizer/iterations", "optimizer/learning_rate", "fit/dropout_state",
        "history/loss"), List.copyOf(npz.keySet()));
    assertEquals(NpyType.INT64, npz.get("optimizer/iterations").type());
    assertEquals(0, npz.get("optimizer/iterations").rank(), "a scalar, shape ()");
  }

  @Test
  void aMissingOrMisshapenArrayIsNamed() {
    TrainingState state = new TrainingState();
    state.putFloats("dense_1/kernel", new int[] {2, 3}, new float[6]);
    Path file = dir.resolve("c.npz");
    state.write(file);
    TrainingState read = TrainingState.read(file);
    NncDataException missing = assertThrows(NncDataException.class, () -> read.longScalar("fit/epoch"));
    assertEquals(file + ": array 'fit/epoch' is missing; a checkpoint of this run needs int64 of shape []", missing.getMessage());
    NncDataException shape = assertThrows(NncDataException.class, () -> read.floats("dense_1/kernel", new int[] {3, 2}));
    assertTrue(shape.getMessage().contains("is float32 of shape [2, 3]; a checkpoint of this run needs float32 of shape [3, 2]"),
        shape.getMessage());
  }

  @Test
  void aFileThatIsNoCheckpointIsAnInputError() throws Exception {
    Path file = dir.resolve("c.npz");
    Files.writeString(file, "not a zip");
    NncDataException e = assertThrows(NncDataException.class, () -> TrainingState.read(file));
    assertTrue(e.getMessage().startsWith(file + ": not a checkpoint (a .npz archive)"), e.getMessage());
  }
}
