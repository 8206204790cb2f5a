package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Trainer#fit} puts into a {@link TrainingState} after an epoch, and takes back from one to resume. */
final class Checkpoints {
  private Checkpoints() {}

  static void write(Path file, Model model, int epochsDone, long seed, boolean shuffle, History history,
      List<FitCallback> callbacks) {
    TrainingState state = new TrainingState();
    Map<String, float[]> parameters = Weights.copy(model);
    for (Model.Tensor t : model.parameters()) state.putFloats(t.name(), t.shape(), parameters.get(t.name()));
    for (Model.Tensor t : model.optimizerSlots()) {
      float[] values = new float[t.size()];
      model.readOptimizerSlot(t.name(), values);
      state.putFloats("optimizer/" + t.name(), t.shape(), values);
    }
    state.putLong("optimizer/iterations", model.iterations());
    state.putFloat("optimizer/learning_rate", model.learningRate());
    state.putLong("fit/epoch", epochsDone);
    state.putLong("fit/seed", seed);
    state.putLong("fit/shuffle", shuffle ? 1 : 0);
    state.putLongs("fit/dropout_state", model.dropoutState());
    for (Map.Entry<String, List<Double>> series : history.asMap().entrySet()) {
      state.putDoubles("history/" + series.getKey(), series.getValue());
    }
    for (FitCallback c : callbacks) c.saveState(state, model);
    state.write(file);
  }

  /** Puts the checkpoint's weights, optimizer state and history into {@code model} and {@code history}, and the callbacks' state into them. */
  static void restore(TrainingState state, Model model, History history, List<FitCallback> callbacks) {
    // Read everything before changing anything, so that a checkpoint that does not fit leaves the model as it was.
    Map<String, float[]> parameters = new LinkedHashMap<>();
    for (Model.Tensor t : model.parameters()) parameters.put(t.name(), state.floats(t.name(), t.shape()));
    Map<String, float[]> slots = new LinkedHashMap<>();
    for (Model.Tensor t : model.optimizerSlots()) slots.put(t.name(), state.floats("optimizer/" + t.name(), t.shape()));
    long iterations = state.longScalar("optimizer/iterations");
    float learningRate = state.floatScalar("optimizer/learning_rate");
    long[] dropout = state.longs("fit/dropout_state");
    if (dropout.length != model.dropoutState().length) {
      throw new NncDataException("the checkpoint's dropout state has " + dropout.length + " values; model "
          + model.name() + " needs " + model.dropoutState().length);
    }
    int epochs = (int) state.longScalar("fit/epoch");
    List<String> series = state.namesUnder("history/");
    List<List<Double>> values = new ArrayList<>();
    for (String name : series) {
      List<Double> v = state.doubles("history/" + name);
      if (v.size() != epochs) throw new NncDataException("the checkpoint's history/" + name + " has " + v.size() + " epochs, not " + epochs);
      values.add(v);
    }
    parameters.forEach(model::writeParameter);
    slots.forEach(model::writeOptimizerSlot);
    model.setIterations(iterations);
    model.setLearningRate(learningRate);
    model.setDropoutState(dropout);
    for (int e = 0; e < epochs; e++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 0; i < series.size(); i++) logs.put(series.get(i), values.get(i).get(e));
      history.add(logs);
    }
    for (FitCallback c : callbacks) c.restoreState(state, model);
  }
}
