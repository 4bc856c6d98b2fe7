package io.tracelight.smoke;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * An application that scores transactions with models inside the JVM: a Tribuo logistic
 * regression trained on generated data, exported to ONNX and run by ONNX Runtime (from the file and
 * from its bytes), JPMML on a hand-written PMML file, or (with the argument {@code djl}) DJL on its
 * ONNX Runtime engine. It prints what it observes (each prediction's probabilities), so runs with and
 * without the agent must print the same.
 */
public final class InferenceDriver {
  static final String[] FEATURES = {"amount", "hour", "distance", "merchant_risk"};

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Files.createDirectories(dir);
    LinearSGDModel model = train(400, 11);
    Path onnx = dir.resolve("fraud-lr.onnx");
    model.saveONNXModel("io.tracelight.smoke", 3L, onnx);
    System.out.println("onnx " + onnx.getFileName());
    if (args.length > 1 && args[1].equals("djl")) { // DJL makes its own ONNX Runtime environment: a JVM of its own
      djl(onnx, transactions(3, 51));
      return;
    }
    onnxRuntime(onnx, transactions(5, 21));
    tribuo(model, transactions(6, 31));
    pmml(transactions(4, 41));
    xgboost(transactions(300, 61), transactions(4, 71));
  }

  /** A gradient-boosted classifier trained in the JVM, then asked for a batch of probabilities. */
  static void xgboost(List<double[]> training, List<double[]> rows) throws Exception {
    SplittableRandom noise = new SplittableRandom(62);
    float[] data = new float[training.size() * FEATURES.length];
    float[] labels = new float[training.size()];
    for (int i = 0; i < training.size(); i++) {
      for (int j = 0; j < FEATURES.length; j++) {
        data[i * FEATURES.length + j] = (float) training.get(i)[j];
      }
      labels[i] = fraud(training.get(i), noise) ? 1 : 0;
    }
    ml.dmlc.xgboost4j.java.DMatrix train = new ml.dmlc.xgboost4j.java.DMatrix(data, training.size(), FEATURES.length,
        Float.NaN);
    train.setLabel(labels);
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 3);
    params.put("nthread", 1);
    params.put("seed", 7);
    ml.dmlc.xgboost4j.java.Booster booster = ml.dmlc.xgboost4j.java.XGBoost.train(train, params, 20,
        new java.util.HashMap<>(), null, null);
    float[] batch = new float[rows.size() * FEATURES.length];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < FEATURES.length; j++) {
        batch[i * FEATURES.length + j] = (float) rows.get(i)[j];
      }
    }
    ml.dmlc.xgboost4j.java.DMatrix matrix = new ml.dmlc.xgboost4j.java.DMatrix(batch, rows.size(), FEATURES.length,
        Float.NaN);
    print("xgboost", booster.predict(matrix));
    booster.predictLeaf(matrix, 0); // an explanation, not a prediction
    booster.predictContrib(matrix, 0);
  }

  /** DJL on its ONNX Runtime engine, the same exported model: rows one by one, then as a batch. */
  static void djl(Path onnx, List<double[]> rows) throws Exception {
    ai.djl.repository.zoo.Criteria<float[], float[]> criteria = ai.djl.repository.zoo.Criteria.builder()
        .setTypes(float[].class, float[].class).optModelPath(onnx).optEngine("OnnxRuntime")
        .optTranslator(new FloatsTranslator()).build();
    try (ai.djl.repository.zoo.ZooModel<float[], float[]> model = criteria.loadModel();
        ai.djl.inference.Predictor<float[], float[]> predictor = model.newPredictor()) {
      List<float[]> inputs = new ArrayList<>();
      for (double[] x : rows) {
        float[] row = new float[x.length];
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) x[i];
        }
        inputs.add(row);
        print("djl-one", new float[][] {predictor.predict(row)});
      }
      print("djl-batch", predictor.batchPredict(inputs).toArray(new float[0][]));
    }
  }

  /** One row of features in, the model's class probabilities out. */
  static final class FloatsTranslator implements ai.djl.translate.NoBatchifyTranslator<float[], float[]> {
    @Override
    public ai.djl.ndarray.NDList processInput(ai.djl.translate.TranslatorContext ctx, float[] input) {
      return new ai.djl.ndarray.NDList(ctx.getNDManager().create(input, new ai.djl.ndarray.types.Shape(1, input.length)));
    }

    @Override
    public float[] processOutput(ai.djl.translate.TranslatorContext ctx, ai.djl.ndarray.NDList list) {
      return list.get(0).toFloatArray();
    }
  }

  /** A logistic regression written by hand in PMML, evaluated row by row with JPMML. */
  static void pmml(List<double[]> rows) throws Exception {
    org.jpmml.evaluator.Evaluator evaluator;
    try (java.io.InputStream in = InferenceDriver.class.getResourceAsStream("/fraud-logistic.pmml")) {
      evaluator = new org.jpmml.evaluator.LoadingModelEvaluatorBuilder().load(in).build();
    }
    evaluator.verify();
    for (double[] x : rows) {
      Map<String, Object> arguments = new java.util.LinkedHashMap<>();
      for (int i = 0; i < FEATURES.length; i++) {
        arguments.put(FEATURES[i], x[i]);
      }
      Map<String, ?> results = org.jpmml.evaluator.EvaluatorUtil.decodeAll(evaluator.evaluate(arguments));
      System.out.println("pmml " + results.get("label") + " " + results.get("probability(fraud)") + " "
          + results.get("probability(legit)"));
    }
  }

  /** Tribuo itself: each row alone, then all of them in one batch. */
  static void tribuo(LinearSGDModel model, List<double[]> rows) {
    List<Example<Label>> examples = new ArrayList<>();
    for (double[] x : rows) {
      Example<Label> example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, FEATURES, x);
      examples.add(example);
      print("tribuo-one", model.predict(example));
    }
    for (Prediction<Label> p : model.predict(examples)) {
      print("tribuo-batch", p);
    }
  }

  private static void print(String what, Prediction<Label> p) {
    StringBuilder b = new StringBuilder(what).append(' ').append(p.getOutput().getLabel());
    for (String label : new String[] {"fraud", "legit"}) {
      b.append(' ').append(p.getOutputScores().get(label).getScore());
    }
    System.out.println(b);
  }

  /** Transactions with four features; fraud when a noisy weighted sum is high. */
  static List<double[]> transactions(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(new double[] {random.nextDouble() * 4, random.nextDouble() * 4, random.nextDouble() * 4,
          random.nextDouble() * 4});
    }
    return rows;
  }

  static boolean fraud(double[] x, SplittableRandom noise) {
    return 0.9 * x[0] - 0.6 * x[1] + 0.8 * x[3] - 2.0 + noise.nextDouble() - 0.5 > 0;
  }

  static LinearSGDModel train(int n, long seed) {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("generated", labels), labels);
    SplittableRandom noise = new SplittableRandom(seed + 1);
    for (double[] x : transactions(n, seed)) {
      data.add(new ArrayExample<>(new Label(fraud(x, noise) ? "fraud" : "legit"), FEATURES, x));
    }
    return new LogisticRegressionTrainer().train(data);
  }

  /** A batch from the file's session, then each row alone from a session made from the bytes. */
  static void onnxRuntime(Path onnx, List<double[]> rows) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[][] batch = new float[rows.size()][];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = new float[rows.get(i).length];
      for (int j = 0; j < batch[i].length; j++) {
        batch[i][j] = (float) rows.get(i)[j];
      }
    }
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, batch);
        OrtSession.Result result = session.run(Map.of("input", input))) {
      print("ort-file", (float[][]) result.get(0).getValue());
    }
    try (OrtSession session = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions())) {
      for (float[] row : batch) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, new float[][] {row});
            OrtSession.Result result = session.run(Map.of("input", input), session.getOutputNames())) {
          print("ort-bytes", (float[][]) result.get(0).getValue());
        }
      }
    }
  }

  private static void print(String what, float[][] probabilities) {
    for (float[] row : probabilities) {
      StringBuilder b = new StringBuilder(what);
      for (float p : row) {
        b.append(' ').append(p);
      }
      System.out.println(b);
    }
  }
}
