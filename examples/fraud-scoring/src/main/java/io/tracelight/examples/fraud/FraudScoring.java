package io.tracelight.examples.fraud;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;

/**
 * Scores generated card transactions with a PMML logistic regression running in the JVM. Halfway
 * through, the transactions change the way spending changed in 2020: larger amounts, at merchants
 * the model finds riskier, at other hours. Nothing fails and every call succeeds, yet the model
 * flags many more transactions and is less sure of itself: with the agent attached, the summary
 * shows the predicted classes and the confidence of the first window and of the last.
 *
 * <p>Run: {@code java -javaagent:tracelight-agent.jar -Dtracelight.prediction.window-calls=1000
 * -jar fraud-scoring.jar [transactions] [steady|canary]}; {@code steady} keeps the transactions as
 * they were (the control run: no shift, no drift); {@code canary} keeps them too and scores one in
 * twenty with the model's next version, 2.2, which flags more (what {@code compare --by version} is for).
 */
public final class FraudScoring {
  private static final String[] FEATURES = {"amount", "hour", "distance", "merchant_risk"};

  private FraudScoring() {}

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    boolean canary = args.length > 1 && args[1].equals("canary");
    boolean steady = canary || args.length > 1 && args[1].equals("steady");
    Evaluator model;
    try (InputStream in = FraudScoring.class.getResourceAsStream("/fraud-scorer.pmml")) {
      model = new LoadingModelEvaluatorBuilder().load(in).build();
    }
    model.verify();
    Evaluator next = null;
    if (canary) {
      try (InputStream in = FraudScoring.class.getResourceAsStream("/fraud-scorer-2.2.pmml")) {
        next = new LoadingModelEvaluatorBuilder().load(in).build();
      }
      next.verify();
    }
    SplittableRandom random = new SplittableRandom(2020);
    int block = 1000;
    int flagged = 0;
    double confidence = 0;
    for (int i = 0; i < total; i++) {
      boolean shifted = !steady && i >= total / 2;
      Evaluator scorer = canary && i % 20 == 0 ? next : model;
      Map<String, ?> result = EvaluatorUtil.decodeAll(scorer.evaluate(transaction(random, shifted)));
      double fraud = ((Number) result.get("probability(fraud)")).doubleValue();
      flagged += "fraud".equals(result.get("label")) ? 1 : 0;
      confidence += Math.max(fraud, 1 - fraud);
      if ((i + 1) % block == 0 || i + 1 == total) {
        int n = (i % block) + 1;
        System.out.printf("transactions %d-%d (%s): %d flagged as fraud (%.1f%%), mean confidence %.2f%n",
            i + 2 - n, i + 1, shifted ? "after the shift" : "before the shift", flagged, flagged * 100.0 / n,
            confidence / n);
        flagged = 0;
        confidence = 0;
      }
    }
  }

  /** One transaction; after the shift, amounts are a little larger and merchants riskier, at other hours. */
  static Map<String, Object> transaction(SplittableRandom random, boolean shifted) {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put(FEATURES[0], (shifted ? 0.5 : 0) + random.nextDouble() * 2.5);
    features.put(FEATURES[1], (shifted ? 0.5 : 1) + random.nextDouble() * 3);
    features.put(FEATURES[2], random.nextDouble() * 4);
    features.put(FEATURES[3], (shifted ? 0.3 : 0) + random.nextDouble() * 1.5);
    return features;
  }
}
