package io.tracelight.instrumentation.tribuo;

import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.FeatureValues;
import io.tracelight.core.prediction.OutputSummary;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;

/**
 * One Tribuo prediction: on the application's thread, the model's name and Tribuo version, the
 * batch size and the first {@value OutputSummary#MAX_ROWS} {@link Prediction}s (immutable, so they
 * are read later); on the pipeline thread, each row's class and score, or regressed value, read
 * through {@link Output#getSerializableForm}, so that only tribuo-core is needed (a label reads
 * {@code fraud,score=0.97}, a regressor {@code price=312.5}).
 */
final class TribuoDetails implements InferenceDetails {
  private static final String LABEL = "org.tribuo.classification.Label";
  private static final String REGRESSOR = "org.tribuo.regression.Regressor";
  private final String name;
  private final String version;
  private final long batch;
  private final Object[] predictions;
  /** The examples' features, with feature capture on; else null. */
  private FeatureValues features;

  private TribuoDetails(String name, String version, long batch, Object[] predictions) {
    this.name = name;
    this.version = version;
    this.batch = batch;
    this.predictions = predictions;
  }

  static TribuoDetails of(Model<?> model, Object[] predictions, long batch) {
    TribuoDetails d = new TribuoDetails(model.getName(), model.getProvenance().getTribuoVersion(), batch,
        predictions);
    if (FeatureValues.enabled()) { // copied now: an application may reuse its examples
      d.features = new FeatureValues();
      for (Object o : predictions) {
        Example<?> example = ((Prediction<?>) o).getExample();
        if (example != null) {
          for (Feature f : example) {
            d.features.add(f.getName(), f.getValue());
          }
        }
      }
    }
    return d;
  }

  /** The list's first rows, copied now: the application may change its list once it has it. */
  static Object[] firstRows(List<?> predictions) {
    if (predictions == null) {
      return new Object[0];
    }
    Object[] all = predictions.toArray();
    return all.length <= OutputSummary.MAX_ROWS ? all : java.util.Arrays.copyOf(all, OutputSummary.MAX_ROWS);
  }

  @Override
  public void writeTo(AiCall call, OutputSummary output) {
    call.set(Keys.MODEL_NAME, name);
    call.set(Keys.MODEL_PRODUCER, "Tribuo " + version);
    call.set(Keys.BATCH_SIZE, batch);
    call.features = features;
    double[] scores = new double[16];
    String[] classes = new String[16];
    for (Object o : predictions) {
      Prediction<?> p = (Prediction<?>) o;
      Output<?> out = p.getOutput();
      String type = out.getClass().getName();
      if (type.equals(LABEL)) {
        String label = out.getSerializableForm(false);
        Map<String, ? extends Output<?>> all = p.getOutputScores();
        if (p.hasProbabilities() && all.size() > 1) {
          if (all.size() > scores.length) {
            scores = new double[all.size()];
            classes = new String[all.size()];
          }
          int n = 0;
          for (Map.Entry<String, ? extends Output<?>> e : all.entrySet()) {
            classes[n] = e.getKey();
            scores[n++] = score(e.getValue().getSerializableForm(true));
          }
          output.probabilities(scores, 0, n, classes, label);
        } else {
          double score = score(out.getSerializableForm(true));
          output.label(label, p.hasProbabilities() ? score : Double.NaN);
        }
      } else if (type.equals(REGRESSOR)) {
        output.value(firstValue(out.getSerializableForm(false)));
      }
    }
  }

  /** The score in {@code label,score=0.97}, or NaN. */
  static double score(String form) {
    int at = form.lastIndexOf(",score=");
    if (at < 0) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(form.substring(at + ",score=".length()));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The first dimension's value in {@code name=value,name=value}, or NaN. */
  static double firstValue(String form) {
    int eq = form.indexOf('=');
    if (eq < 0) {
      return Double.NaN;
    }
    int end = form.indexOf(',', eq);
    try {
      return Double.parseDouble(form.substring(eq + 1, end < 0 ? form.length() : end));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
