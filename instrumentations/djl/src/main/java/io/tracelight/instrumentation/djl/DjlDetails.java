package io.tracelight.instrumentation.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDManager;
import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code batchPredict}: on the application's thread the model's name, file and engine, the
 * batch size, and the first rows' outputs (arrays copied, since the application owns them; other
 * outputs, such as {@link Classifications}, kept as they are, only read); on the pipeline thread
 * their summary: a classification's best class and distribution, an array of probabilities or
 * scores, a value.
 */
final class DjlDetails implements InferenceDetails {
  private static final int MAX_WIDTH = 4096;
  private static final int MAX_ELEMENTS = 65536;
  private String name;
  private String file;
  private String engine;
  private long batch = -1;
  private Object[] outputs;

  /** {@code Predictor}'s protected {@code model} field (it has no getter), found once; null if absent. */
  private static final java.lang.reflect.Field MODEL = modelField();

  private static java.lang.reflect.Field modelField() {
    try {
      java.lang.reflect.Field f = ai.djl.inference.Predictor.class.getDeclaredField("model");
      f.setAccessible(true);
      return Model.class.isAssignableFrom(f.getType()) ? f : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another DJL: the record names no model
    }
  }

  static Model modelOf(Object predictor) throws IllegalAccessException {
    return MODEL == null ? null : (Model) MODEL.get(predictor);
  }

  static DjlDetails of(Model model, List<?> inputs, List<?> outputs) {
    DjlDetails d = new DjlDetails();
    if (model != null) {
      d.name = model.getName();
      Path path = model.getModelPath();
      d.file = path == null ? null : path.toString();
      NDManager manager = model.getNDManager();
      Engine engine = manager == null ? null : manager.getEngine();
      d.engine = engine == null ? null : engine.getEngineName() + " " + engine.getVersion();
    }
    if (inputs != null) {
      d.batch = inputs.size();
    }
    if (outputs != null) {
      Object[] rows = outputs.toArray();
      if (rows.length > OutputSummary.MAX_ROWS) {
        rows = Arrays.copyOf(rows, OutputSummary.MAX_ROWS);
      }
      int budget = MAX_ELEMENTS; // the copies wait in the queue: bounded per call, whatever the batch
      int kept = 0;
      for (; kept < rows.length && budget > 0; kept++) {
        Object o = rows[kept];
        if (o instanceof float[]) {
          float[] a = (float[]) o;
          rows[kept] = Arrays.copyOf(a, Math.min(a.length, Math.min(MAX_WIDTH, budget)));
          budget -= ((float[]) rows[kept]).length;
        } else if (o instanceof double[]) {
          double[] a = (double[]) o;
          rows[kept] = Arrays.copyOf(a, Math.min(a.length, Math.min(MAX_WIDTH, budget)));
          budget -= ((double[]) rows[kept]).length;
        }
      }
      d.outputs = Arrays.copyOf(rows, kept);
    }
    return d;
  }

  @Override
  public void writeTo(AiCall call, OutputSummary output) {
    call.set(Keys.MODEL_NAME, name);
    call.set(Keys.MODEL_ID, file);
    call.set(Keys.MODEL_ENGINE, engine);
    if (batch >= 0) {
      call.set(Keys.BATCH_SIZE, batch);
    }
    if (outputs == null) {
      return;
    }
    double[] row = new double[16];
    for (Object o : outputs) {
      if (o instanceof Classifications) {
        Classifications c = (Classifications) o;
        List<String> classes = c.getClassNames();
        List<Double> probabilities = c.getProbabilities();
        int n = Math.min(classes.size(), probabilities.size());
        if (n > row.length) {
          row = new double[n];
        }
        for (int i = 0; i < n; i++) {
          row[i] = probabilities.get(i);
        }
        output.probabilities(row, 0, n, classes.toArray(new String[0]));
      } else if (o instanceof float[]) {
        float[] a = (float[]) o;
        if (a.length > row.length) {
          row = new double[a.length];
        }
        for (int i = 0; i < a.length; i++) {
          row[i] = a[i];
        }
        numbers(row, a.length, output);
      } else if (o instanceof double[]) {
        double[] a = (double[]) o;
        numbers(a, a.length, output);
      } else if (o instanceof Number) {
        output.value(((Number) o).doubleValue());
      } else if (o instanceof CharSequence) {
        output.label(o.toString(), Double.NaN);
      }
    }
  }

  /** Several numbers: class probabilities or scores; one: a value. */
  private static void numbers(double[] row, int n, OutputSummary output) {
    if (n == 1) {
      output.value(row[0]);
    } else if (n > 1) {
      output.probabilities(row, 0, n, null);
    }
  }
}
