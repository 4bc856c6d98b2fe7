package io.tracelight.instrumentation.xgboost4j;

import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import java.util.Arrays;

/**
 * One booster prediction: the rows returned, copied (the first {@value OutputSummary#MAX_ROWS},
 * at most {@value #MAX_WIDTH} columns each: the application owns the arrays). A row of one number
 * is a value (the booster does not say whether its objective makes it a probability); a row of
 * several is class probabilities ({@code multi:softprob}). The booster has no name on the wire of
 * its API: the record calls it {@code xgboost}.
 */
final class XgboostDetails implements InferenceDetails {
  private static final int MAX_WIDTH = 1024;
  /** Elements copied per call at most, whatever the batch: the copy waits in the queue. */
  static final int MAX_ELEMENTS = 65536;
  private final long batch;
  private final float[][] rows;

  private XgboostDetails(long batch, float[][] rows) {
    this.batch = batch;
    this.rows = rows;
  }

  static XgboostDetails of(float[][] returned) {
    if (returned == null) {
      return new XgboostDetails(-1, new float[0][]);
    }
    float[][] copy = new float[Math.min(returned.length, OutputSummary.MAX_ROWS)][];
    int copied = 0;
    int budget = MAX_ELEMENTS;
    for (; copied < copy.length && budget > 0; copied++) {
      float[] row = returned[copied];
      copy[copied] = row == null ? new float[0] : Arrays.copyOf(row, Math.min(row.length, Math.min(MAX_WIDTH, budget)));
      budget -= copy[copied].length;
    }
    return new XgboostDetails(returned.length, Arrays.copyOf(copy, copied));
  }

  @Override
  public void writeTo(AiCall call, OutputSummary output) {
    call.set(Keys.MODEL_NAME, "xgboost");
    if (batch >= 0) {
      call.set(Keys.BATCH_SIZE, batch);
    }
    double[] values = new double[16];
    for (float[] row : rows) {
      if (row.length == 1) {
        output.value(row[0]);
      } else if (row.length > 1) {
        if (row.length > values.length) {
          values = new double[row.length];
        }
        for (int i = 0; i < row.length; i++) {
          values[i] = row[i];
        }
        output.probabilities(values, 0, row.length, null);
      }
    }
  }
}
