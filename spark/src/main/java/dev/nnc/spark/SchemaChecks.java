package dev.nnc.spark;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The checks of {@code transformSchema}: input columns that must be there, output columns that must not. */
final class SchemaChecks {
  private SchemaChecks() {}

  static void requireColumn(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("no column " + name + " among " + Arrays.toString(schema.fieldNames()));
    }
  }

  static void requireVector(StructType schema, String name) {
    requireColumn(schema, name);
    StructField field = schema.apply(name);
    if (!field.dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("column " + name + " is " + field.dataType().simpleString()
          + ", not a Spark ML vector (org.apache.spark.ml.linalg.Vector)");
    }
  }

  /** The schema with the prediction (double) and probability (vector) columns added. */
  static StructType withOutputs(StructType schema, String predictionCol, String probabilityCol) {
    for (String name : new String[] {predictionCol, probabilityCol}) {
      if (Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("output column " + name + " already exists");
      }
    }
    return schema.add(predictionCol, DataTypes.DoubleType, false).add(probabilityCol, SQLDataTypes.VectorType(), false);
  }
}
