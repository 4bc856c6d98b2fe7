package io.tracelight.core.protocol.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model-server decoders on bodies in each server's documented format. */
class ServingDecodingTest {
  private static final String JSON = "application/json";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String path, String request, int status, String response, String... responseHeaders) {
    return call(path, utf8(request), new String[0], status, JSON, utf8(response), responseHeaders);
  }

  private AiCall call(String path, byte[] request, String[] requestHeaders, int status, String type, byte[] response,
      String... responseHeaders) {
    Exchange ex = driver.start("models.internal", path, requestHeaders);
    if (ex == null) {
      throw new AssertionError("no protocol matched " + path);
    }
    ex.requestBytes(request, 0, request.length);
    ex.requestSent();
    ExchangeDriver.respond(ex, status, type, response, 7, responseHeaders);
    ex.complete();
    return driver.decode(driver.last());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertPrediction(AiCall call, String runtime, String model, String version) {
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals("predict", call.get(Keys.PREDICT_OPERATION));
    assertNull(call.get(Keys.OPERATION), "a prediction is no GenAI operation");
    assertNull(call.get(Keys.PROVIDER), "nor has it a GenAI provider");
    assertEquals(runtime, call.get(Keys.MODEL_RUNTIME));
    assertEquals(model, call.get(Keys.MODEL_NAME));
    assertEquals(version, call.get(Keys.MODEL_VERSION));
    assertEquals("predict " + model, call.name());
  }

  @Test
  void kserveV2JsonTensors() {
    AiCall call = call("/v2/models/fraud-xgb/versions/3/infer",
        "{\"id\":\"42\",\"inputs\":[{\"name\":\"features\",\"shape\":[3,4],\"datatype\":\"FP32\","
            + "\"data\":[[1,2,3,4],[0,0,0,0],[5,1,0,2]]}],\"outputs\":[{\"name\":\"probabilities\"}]}",
        200,
        "{\"model_name\":\"fraud-xgb\",\"model_version\":\"3\",\"id\":\"42\",\"outputs\":["
            + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[3,2],\"data\":[0.1,0.9,0.8,0.2,0.3,0.7]},"
            + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[3],\"data\":[1,0,1]}]}");
    assertPrediction(call, "kserve_v2", "fraud-xgb", "3");
    assertEquals(3L, call.get(Keys.BATCH_SIZE));
    assertEquals(List.of("features:FP32[3,4]"), call.get(Keys.MODEL_INPUTS));
    assertEquals(List.of("probabilities:FP32[3,2]", "label:INT64[3]"), call.get(Keys.MODEL_OUTPUTS));
    assertEquals("classification", call.get(Keys.MODEL_FUNCTION));
    assertEquals("1", call.get(Keys.PREDICTED_CLASS), "two rows of three are class 1");
    assertEquals((0.9 + 0.8 + 0.7) / 3, call.get(Keys.PREDICTED_CONFIDENCE), 1e-6);
    assertEquals(0.7, call.get(Keys.PREDICTED_CONFIDENCE_MIN), 1e-6);
    double entropy = (h(0.9) + h(0.8) + h(0.7)) / 3;
    assertEquals(entropy, call.get(Keys.PREDICTED_ENTROPY), 1e-6);
    assertEquals(3L, call.get(Keys.PREDICTED_ROWS));
  }

  /** Binary entropy in bits. */
  static double h(double p) {
    return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
  }

  @Test
  void kserveV2BinaryTensorsAreReadAfterTheJsonHeader() throws Exception {
    byte[] requestHeader = utf8("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":24}}],\"parameters\":{\"binary_data_output\":true}}");
    ByteBuffer in = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      in.putFloat(i);
    }
    byte[] responseHeader = utf8("{\"model_name\":\"scorer\",\"model_version\":\"7\",\"outputs\":["
        + "{\"name\":\"probs\",\"datatype\":\"FP32\",\"shape\":[2,3],\"parameters\":{\"binary_data_size\":24}},"
        + "{\"name\":\"names\",\"datatype\":\"BYTES\",\"shape\":[2],\"parameters\":{\"binary_data_size\":17}}]}");
    ByteBuffer out = ByteBuffer.allocate(24 + 17).order(ByteOrder.LITTLE_ENDIAN);
    out.putFloat(0.2f).putFloat(0.5f).putFloat(0.3f).putFloat(0.6f).putFloat(0.3f).putFloat(0.1f);
    out.putInt(4).put(utf8("wolf")).putInt(5).put(utf8("husky"));
    AiCall call = call("/v2/models/scorer/infer", concat(requestHeader, in.array()),
        new String[] {"Inference-Header-Content-Length", Integer.toString(requestHeader.length)}, 200,
        "application/octet-stream", concat(responseHeader, out.array()),
        "Inference-Header-Content-Length", Integer.toString(responseHeader.length));
    assertPrediction(call, "kserve_v2", "scorer", "7");
    assertEquals(2L, call.get(Keys.BATCH_SIZE));
    assertEquals(List.of("x:FP32[2,3]"), call.get(Keys.MODEL_INPUTS));
    assertEquals("wolf", call.get(Keys.PREDICTED_CLASS), "the label output names each row's class (first of a tie)");
    assertEquals((0.5 + 0.6) / 2, call.get(Keys.PREDICTED_CONFIDENCE), 1e-6);
    assertEquals(2L, call.get(Keys.PREDICTED_ROWS));
  }

  static byte[] concat(byte[] a, byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(a);
    out.write(b);
    return out.toByteArray();
  }

  @Test
  void kserveV2RegressorAndError() {
    AiCall call = call("/v2/models/price/infer",
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP64\",\"data\":[1,2,3,4]}]}", 200,
        "{\"model_name\":\"price\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[2,1],\"data\":[10.5,20.5]}]}");
    assertPrediction(call, "kserve_v2", "price", null);
    assertEquals("regression", call.get(Keys.MODEL_FUNCTION));
    assertEquals(15.5, call.get(Keys.PREDICTED_VALUE), 1e-9);
    assertEquals(10.5, call.get(Keys.PREDICTED_VALUE_MIN), 1e-9);
    assertEquals(20.5, call.get(Keys.PREDICTED_VALUE_MAX), 1e-9);
    AiCall missing = call("/v2/models/nope/infer", "{\"inputs\":[]}", 404,
        "{\"error\":\"Request for unknown model: 'nope' is not found\"}");
    assertTrue(missing.error);
    assertEquals("404", missing.get(Keys.ERROR_TYPE));
    assertEquals("nope", missing.get(Keys.MODEL_NAME));
  }

  @Test
  void tfServingPredictClassifyRegress() {
    AiCall predict = call("/v1/models/fraud/versions/2:predict",
        "{\"signature_name\":\"serving_default\",\"instances\":[[1.0,2.0],[3.0,4.0]]}", 200,
        "{\"predictions\":[[0.25,0.75],[0.9,0.1]]}");
    assertPrediction(predict, "tf_serving", "fraud", "2");
    assertEquals(2L, predict.get(Keys.BATCH_SIZE));
    assertEquals("1", predict.get(Keys.PREDICTED_CLASS), "first of a tie: row one's class");
    assertEquals(0.825, predict.get(Keys.PREDICTED_CONFIDENCE), 1e-9);

    AiCall columns = call("/v1/models/fraud/labels/stable:predict",
        "{\"inputs\":{\"amount\":[1.0,2.0,3.0],\"age\":[30,40,50]}}", 200,
        "{\"outputs\":{\"scores\":[[0.6,0.4],[0.3,0.7],[0.2,0.8]],\"classes\":[0,1,1]}}");
    assertPrediction(columns, "tf_serving", "fraud", "stable");
    assertEquals(3L, columns.get(Keys.BATCH_SIZE));
    assertEquals(List.of("amount", "age"), columns.get(Keys.MODEL_INPUTS));
    assertEquals(List.of("scores", "classes"), columns.get(Keys.MODEL_OUTPUTS));
    assertEquals("1", columns.get(Keys.PREDICTED_CLASS));

    AiCall classify = call("/v1/models/iris:classify",
        "{\"examples\":[{\"petal\":1.4},{\"petal\":5.1}]}", 200,
        "{\"results\":[[[\"setosa\",0.9],[\"virginica\",0.1]],[[\"setosa\",0.2],[\"virginica\",0.8]]]}");
    assertPrediction(classify, "tf_serving", "iris", null);
    assertEquals(2L, classify.get(Keys.BATCH_SIZE));
    assertEquals(List.of("petal"), classify.get(Keys.MODEL_INPUTS));
    assertEquals("setosa", classify.get(Keys.PREDICTED_CLASS));
    assertEquals(0.85, classify.get(Keys.PREDICTED_CONFIDENCE), 1e-9);
    assertEquals("classification", classify.get(Keys.MODEL_FUNCTION));

    AiCall regress = call("/v1/models/price:regress", "{\"examples\":[{\"x\":1},{\"x\":2}]}", 200,
        "{\"results\":[3.5,4.5]}");
    assertEquals("regression", regress.get(Keys.MODEL_FUNCTION));
    assertEquals(4.0, regress.get(Keys.PREDICTED_VALUE), 1e-9);
  }

  @Test
  void torchServeClassifierMapAndModelError() {
    AiCall call = call("/predictions/densenet161/2.0", "{\"data\":[1,2,3]}", 200,
        "{\"tabby\":0.4664,\"tiger_cat\":0.4645,\"Egyptian_cat\":0.0664,\"lynx\":0.0012,\"plastic_bag\":0.0002}");
    assertPrediction(call, "torchserve", "densenet161", "2.0");
    assertEquals(1L, call.get(Keys.BATCH_SIZE));
    assertEquals("tabby", call.get(Keys.PREDICTED_CLASS));
    assertEquals(0.4664, call.get(Keys.PREDICTED_CONFIDENCE), 1e-9);
    double entropy = 0;
    for (double p : new double[] {0.4664, 0.4645, 0.0664, 0.0012, 0.0002}) {
      entropy -= p * Math.log(p) / Math.log(2);
    }
    assertEquals(entropy, call.get(Keys.PREDICTED_ENTROPY), 1e-9, "the top five hold 99.9%: read as the distribution");
    AiCall text = call("/predictions/echo", "hello", 200, "not json at all");
    assertFalse(text.error, "a handler's own answer is no error");
    assertNull(text.get(Keys.PREDICTED_ROWS));
    AiCall missing = call("/predictions/ghost", "{}", 404,
        "{\"code\":404,\"type\":\"ModelNotFoundException\",\"message\":\"Model not found: ghost\"}");
    assertEquals("ModelNotFoundException", missing.get(Keys.ERROR_TYPE));
  }

  @Test
  void mlflowInputShapesAndAnswers() {
    AiCall split = call("/invocations",
        "{\"dataframe_split\":{\"columns\":[\"amount\",\"hour\"],\"data\":[[10.0,3],[900.0,2],[5.5,14]]}}", 200,
        "{\"predictions\":[0,1,0]}");
    assertPrediction(split, "mlflow", "models.internal:443", null);
    assertEquals(3L, split.get(Keys.BATCH_SIZE));
    assertEquals(List.of("amount", "hour"), split.get(Keys.MODEL_INPUTS));
    assertEquals("0", split.get(Keys.PREDICTED_CLASS));
    assertNull(split.get(Keys.PREDICTED_CONFIDENCE), "labels alone carry no probability");
    AiCall records = call("/invocations", "{\"dataframe_records\":[{\"amount\":1},{\"amount\":2}]}", 200,
        "[12.25, 13.75]");
    assertEquals(2L, records.get(Keys.BATCH_SIZE));
    assertEquals(13.0, records.get(Keys.PREDICTED_VALUE), 1e-9, "MLflow 1's bare list");
    AiCall sagemaker = call("/endpoints/fraud-endpoint/invocations", "{\"instances\":[[1,2]]}", 200,
        "{\"predictions\":[[0.3,0.7]]}");
    assertPrediction(sagemaker, "sagemaker", "fraud-endpoint", null);
    AiCall csv = call("/invocations", utf8("amount,hour\n1,2\n3,4\n"), new String[] {"Content-Type", "text/csv"}, 200,
        JSON, utf8("{\"predictions\":[0,0]}"));
    assertEquals(2L, csv.get(Keys.BATCH_SIZE));
    AiCall bad = call("/invocations", "{\"instances\":\"not rows\"}", 400, "{\"error_code\":\"BAD_REQUEST\",\"message\":\"no input\"}");
    assertEquals("BAD_REQUEST", bad.get(Keys.ERROR_TYPE));
  }

  @Test
  void anApplicationsOwnEndpointsOfTheSameNameAreNotRecorded() {
    assertTrue(call("/invocations", "{\"orderId\":42}", 200, "{\"ok\":true}").isNotAiCall());
    assertTrue(call("/shop/api/v1.0/predictions", "{\"week\":48}", 200, "{\"sales\":[1,2]}").isNotAiCall());
    assertFalse(call("/endpoints/scorer/invocations", "{\"orderId\":42}", 200, "{\"ok\":true}").isNotAiCall(),
        "a SageMaker container takes any format");
  }

  @Test
  void seldonNamesAreTheClasses() {
    AiCall call = call("/seldon/prod/fraud-detector/api/v1.0/predictions",
        "{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2],[3,4]]}}", 200,
        "{\"data\":{\"names\":[\"legit\",\"fraud\"],\"ndarray\":[[0.9,0.1],[0.4,0.6]]},"
            + "\"meta\":{\"requestPath\":{\"classifier\":\"seldonio/sklearn-fraud:1.4\"}}}");
    assertPrediction(call, "seldon", "fraud-detector", "1.4");
    assertEquals(2L, call.get(Keys.BATCH_SIZE));
    assertEquals(List.of("a", "b"), call.get(Keys.MODEL_INPUTS));
    assertEquals(List.of("legit", "fraud"), call.get(Keys.MODEL_OUTPUTS));
    assertEquals("legit", call.get(Keys.PREDICTED_CLASS));
    assertEquals(0.75, call.get(Keys.PREDICTED_CONFIDENCE), 1e-9);
  }

  @Test
  void withFeatureCaptureTheRequestsRowsBecomeFeatures() {
    io.tracelight.core.prediction.FeatureValues.enable(true);
    try {
      AiCall v2 = call("/v2/models/m/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\","
          + "\"data\":[[1,2],[3,4]]},{\"name\":\"age\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[30,40]}]}", 200,
          "{\"outputs\":[]}");
      assertFeatures(v2, "x[0]", 1, 3);
      assertFeatures(v2, "x[1]", 2, 4);
      assertFeatures(v2, "age", 30, 40);
      AiCall tf = call("/v1/models/m:predict", "{\"instances\":[{\"amount\":5.5,\"city\":\"Porto\"},{\"amount\":7}]}", 200,
          "{\"predictions\":[1,0]}");
      assertEquals(2L, tf.get(Keys.BATCH_SIZE));
      assertFeatures(tf, "amount", 5.5, 7);
      assertEquals(1, tf.features.features(), "a string is no numeric feature");
      AiCall columns = call("/v1/models/m:predict", "{\"inputs\":{\"amount\":[1,2,3],\"hour\":[[4],[5],[6]],"
          + "\"xy\":[[1,2],[3,4],[5,6]]}}", 200, "{\"outputs\":[1,0,1]}");
      assertEquals(3L, columns.get(Keys.BATCH_SIZE));
      assertFeatures(columns, "amount", 1, 2, 3);
      assertFeatures(columns, "hour[0]", 4, 5, 6);
      assertFeatures(columns, "xy[1]", 2, 4, 6);
      AiCall mlflow = call("/invocations", "{\"dataframe_split\":{\"columns\":[\"a\",\"b\"],\"data\":[[1,2],[3,4]]}}",
          200, "{\"predictions\":[0,1]}");
      assertFeatures(mlflow, "b", 2, 4);
      AiCall seldon = call("/api/v1.0/predictions", "{\"data\":{\"names\":[\"p\",\"q\"],\"ndarray\":[[9,8]]}}", 200,
          "{\"data\":{\"ndarray\":[[0.5,0.5]]}}");
      assertFeatures(seldon, "q", 8);
    } finally {
      io.tracelight.core.prediction.FeatureValues.enable(false);
    }
    AiCall off = call("/v1/models/m:predict", "{\"instances\":[[1,2]]}", 200, "{\"predictions\":[1]}");
    assertNull(off.features, "off by default");
  }

  private static void assertFeatures(AiCall call, String name, double... expected) {
    io.tracelight.core.prediction.FeatureValues f = call.features;
    for (int i = 0; i < f.features(); i++) {
      if (f.name(i).equals(name)) {
        assertEquals(expected.length, f.count(i), name);
        for (int j = 0; j < expected.length; j++) {
          assertEquals(expected[j], f.value(i, j), 1e-12, name);
        }
        return;
      }
    }
    throw new AssertionError("no feature " + name);
  }

  @Test
  void outputsAreSummarisedPerRowAndTheClassCountsReachTheMetrics() {
    AiCall call = call("/v1/models/m:predict", "{\"instances\":[[1],[2],[3],[4]]}", 200,
        "{\"predictions\":[\"cat\",\"dog\",\"dog\",\"bird\"]}");
    assertEquals("dog", call.get(Keys.PREDICTED_CLASS));
    assertEquals(4, call.outputSummary.rows());
    assertEquals(2, call.outputSummary.classCounts().get("dog")[0]);
    assertEquals(1, call.outputSummary.classCounts().get("bird")[0]);
  }
}
