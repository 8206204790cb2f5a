package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchScheduleTest {

  @Test
  void everyRowIsTakenOnceInEachPartitionsOrderAndEveryBatchIsFull() {
    int[] rows = {666, 667, 0, 1000, 5};
    BatchSchedule schedule = BatchSchedule.of(rows, 128);
    assertEquals((2338 + 127) / 128, schedule.steps());
    int[] next = new int[rows.length];
    for (int s = 0; s < schedule.steps(); s++) {
      assertEquals(s < schedule.steps() - 1 ? 128 : 2338 - 128 * (schedule.steps() - 1), schedule.batchRows(s), "step " + s);
      for (int p = 0; p < rows.length; p++) {
        assertEquals(next[p], schedule.start(s, p), "partition " + p + " continues where it stopped");
        next[p] += schedule.count(s, p);
      }
    }
    for (int p = 0; p < rows.length; p++) assertEquals(rows[p], next[p], "partition " + p + " gives all its rows");
    Set<String> seen = new HashSet<>();
    for (int[] row : schedule.globalOrder()) assertTrue(seen.add(row[0] + ":" + row[1]), "row given twice");
    assertEquals(2338, seen.size());
  }

  @Test
  void partitionsGiveSharesProportionalToTheirRowsSoThatAllWorkEveryStep() {
    BatchSchedule schedule = BatchSchedule.of(new int[] {3000, 1000}, 128);
    for (int s = 0; s < schedule.steps() - 1; s++) {
      assertEquals(96, schedule.count(s, 0), "step " + s);
      assertEquals(32, schedule.count(s, 1), "step " + s);
    }
  }
}
