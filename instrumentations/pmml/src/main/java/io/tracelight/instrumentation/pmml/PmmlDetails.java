package io.tracelight.instrumentation.pmml;

import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.FeatureValues;
import io.tracelight.core.prediction.OutputSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dmg.pmml.Application;
import org.dmg.pmml.Header;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.Computable;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.ProbabilityDistribution;
import org.jpmml.evaluator.TargetField;

/**
 * One evaluation: on the application's thread, the model's name, function and header (field reads
 * of the parsed PMML), the input names, and the target's result object (a new one per evaluation,
 * which the application only reads); on the pipeline thread, the predicted class and its
 * probability distribution, or the regressed value.
 */
final class PmmlDetails implements InferenceDetails {
  private static final int MAX_INPUTS = 64;
  private String name;
  private String version;
  private String producer;
  private String function;
  private final List<String> inputs = new ArrayList<>();
  private Object target;
  /** The numeric arguments, with feature capture on; else null. */
  private FeatureValues features;

  static PmmlDetails of(ModelEvaluator<?> evaluator, Map<String, ?> arguments, Map<String, ?> results) {
    PmmlDetails d = new PmmlDetails();
    Model model = evaluator.getModel();
    d.name = model.getModelName();
    MiningFunction function = model.getMiningFunction();
    d.function = function == null ? null : function.name().toLowerCase(Locale.ROOT);
    PMML pmml = evaluator.getPMML();
    Header header = pmml == null ? null : pmml.getHeader();
    if (header != null) {
      d.version = header.getModelVersion();
      Application application = header.getApplication();
      if (application != null && application.getName() != null) {
        d.producer = application.getVersion() == null ? application.getName()
            : application.getName() + " " + application.getVersion();
      }
    }
    if (d.name == null && header != null) {
      d.name = header.getDescription();
    }
    if (arguments != null) {
      boolean features = FeatureValues.enabled();
      for (Map.Entry<String, ?> e : arguments.entrySet()) {
        if (d.inputs.size() == MAX_INPUTS) {
          break;
        }
        d.inputs.add(e.getKey());
        if (features && e.getValue() instanceof Number) {
          if (d.features == null) {
            d.features = new FeatureValues();
          }
          d.features.add(e.getKey(), ((Number) e.getValue()).doubleValue());
        }
      }
    }
    List<TargetField> targets = evaluator.getTargetFields();
    if (results != null && !targets.isEmpty()) {
      d.target = results.get(targets.get(0).getName());
    }
    return d;
  }

  @Override
  public void writeTo(AiCall call, OutputSummary output) {
    call.set(Keys.MODEL_NAME, name != null ? name : "pmml");
    call.set(Keys.MODEL_VERSION, version);
    call.set(Keys.MODEL_PRODUCER, producer);
    if ("classification".equals(function) || "regression".equals(function)) {
      call.set(Keys.MODEL_FUNCTION, function);
    }
    call.set(Keys.BATCH_SIZE, 1L);
    call.features = features;
    if (!inputs.isEmpty()) {
      call.set(Keys.MODEL_INPUTS, inputs);
    }
    Object value = target;
    if (value instanceof ProbabilityDistribution) {
      ProbabilityDistribution<?> distribution = (ProbabilityDistribution<?>) value;
      Set<Object> categories = distribution.getCategories();
      String[] classes = new String[categories.size()];
      double[] probabilities = new double[categories.size()];
      int n = 0;
      for (Object category : categories) {
        Double p = distribution.getProbability(category);
        classes[n] = String.valueOf(category);
        probabilities[n++] = p == null ? 0 : p;
      }
      output.probabilities(probabilities, 0, n, classes, String.valueOf(distribution.getResult()));
      return;
    }
    if (value instanceof Computable) {
      value = ((Computable) value).getResult();
    }
    if (value instanceof Number && !"classification".equals(function)) {
      output.value(((Number) value).doubleValue());
    } else if (value != null) {
      output.label(String.valueOf(value), Double.NaN);
    }
  }
}
