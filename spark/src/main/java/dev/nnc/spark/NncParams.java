package dev.nnc.spark;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Spark ML params of {@link NncEstimator} and {@link NncSparkModel}, each named and documented
 * once here. Both classes declare those they have with these factories; Spark copies values
 * between them by name (a fitted model gets its estimator's).
 */
final class NncParams {
  private NncParams() {}

  static final String SYNC = "sync";
  static final String AVERAGE = "average";
  static final String AUTO = "auto";
  static final String SCALAR = "scalar";
  static final String VECTOR = "vector";

  static Param<String> modelSource(Params parent) {
    return new Param<>(parent, "modelSource", "the model's source text in the nnc language; compiled on the driver");
  }

  static Param<String> modelSourceName(Params parent) {
    return new Param<>(parent, "modelSourceName",
        "the file name diagnostics give for modelSource; it names the model when the source has no model header");
  }

  static Param<String> modelClass(Params parent) {
    return new Param<>(parent, "modelClass",
        "instead of modelSource: a generated model class on the driver's and executors' class path");
  }

  static Param<String> featuresCol(Params parent) {
    return new Param<>(parent, "featuresCol", "features column name (a Spark ML vector)");
  }

  static Param<String> labelCol(Params parent) {
    return new Param<>(parent, "labelCol",
        "label column name: a number (a class index for sparse_ce) or a vector of the model's outputs");
  }

  static Param<String> predictionCol(Params parent) {
    return new Param<>(parent, "predictionCol", "prediction column name");
  }

  static Param<String> probabilityCol(Params parent) {
    return new Param<>(parent, "probabilityCol", "column name for the model's outputs (class probabilities)");
  }

  static Param<String> validationIndicatorCol(Params parent) {
    return new Param<>(parent, "validationIndicatorCol",
        "name of a boolean column: rows where it is true are validation data, evaluated after every epoch");
  }

  static IntParam epochs(Params parent) {
    return new IntParam(parent, "epochs", "passes over the training data (default: the model's train statement)",
        ParamValidators.gtEq(0));
  }

  static IntParam batchSize(Params parent) {
    return new IntParam(parent, "batchSize", "samples per step (default: the model's train statement)",
        ParamValidators.gtEq(1));
  }

  static LongParam seed(Params parent) {
    return new LongParam(parent, "seed", "seeds the initial weights and the shuffling (default: the model's)");
  }

  static BooleanParam shuffle(Params parent) {
    return new BooleanParam(parent, "shuffle", "shuffle each partition's rows before every epoch");
  }

  static Param<String> mode(Params parent) {
    return new Param<>(parent, "mode",
        "sync (a job per global batch, exactly local training) or average (parameter averaging every averageEvery steps)",
        ParamValidators.inArray(List.of(SYNC, AVERAGE)));
  }

  static IntParam averageEvery(Params parent) {
    return new IntParam(parent, "averageEvery", "steps each partition trains between two averagings (average mode)",
        ParamValidators.gtEq(1));
  }

  static Param<String> kernels(Params parent) {
    return new Param<>(parent, "kernels",
        "auto (the Vector API kernels when the driver and every executor have jdk.incubator.vector), scalar or vector",
        ParamValidators.inArray(List.of(AUTO, SCALAR, VECTOR)));
  }

  static BooleanParam verbose(Params parent) {
    return new BooleanParam(parent, "verbose", "print each epoch's loss and metrics on the driver");
  }
}
