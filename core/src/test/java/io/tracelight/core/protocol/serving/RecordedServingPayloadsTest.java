package io.tracelight.core.protocol.serving;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model-server decoders on payloads recorded from each server's specification (see
 * src/test/resources/serving/README.md): a fraud model scoring two transactions, the first legit
 * (0.971234) and the second fraud (0.895689).
 */
class RecordedServingPayloadsTest {
  private static final String JSON = "application/json";
  private static final double LEGIT = 0.971234;
  private static final double FRAUD = 0.895689;
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String path, String request, String[] requestHeaders, int status, String type, String response,
      int chunk, String... responseHeaders) {
    Exchange ex = driver.start("models.internal", path, requestHeaders);
    byte[] body = resource("serving/" + request);
    ex.requestBytes(body, 0, body.length);
    ex.requestSent();
    ExchangeDriver.respond(ex, status, type, resource("serving/" + response), chunk, responseHeaders);
    ex.complete();
    return driver.decode(driver.last());
  }

  private AiCall call(String path, String request, String response) {
    return call(path, request, new String[0], 200, JSON, response, 11);
  }

  private static void assertTwoTransactions(AiCall call) {
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(2L, call.get(Keys.PREDICTED_ROWS));
    assertEquals((LEGIT + FRAUD) / 2, call.get(Keys.PREDICTED_CONFIDENCE), 1e-6);
    assertEquals(FRAUD, call.get(Keys.PREDICTED_CONFIDENCE_MIN), 1e-6);
    double entropy = (ServingDecodingTest.h(LEGIT) + ServingDecodingTest.h(FRAUD)) / 2;
    assertEquals(entropy, call.get(Keys.PREDICTED_ENTROPY), 1e-5);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 1 << 16})
  void kserveV2JsonAndBinary(int chunk) {
    AiCall json = call("/v2/models/fraud-detector/versions/3/infer", "kserve-v2-infer-request.json", new String[0], 200,
        JSON, "kserve-v2-infer-response.json", chunk);
    assertEquals("fraud-detector", json.get(Keys.MODEL_NAME));
    assertEquals("3", json.get(Keys.MODEL_VERSION));
    assertEquals(2L, json.get(Keys.BATCH_SIZE));
    assertEquals(List.of("input-0:FP32[2,4]"), json.get(Keys.MODEL_INPUTS));
    assertEquals("0", json.get(Keys.PREDICTED_CLASS), "the label output, first of a tie");
    assertTwoTransactions(json);

    AiCall binary = call("/v2/models/fraud-detector/versions/3/infer", "kserve-v2-infer-request-binary.bin",
        new String[] {"Inference-Header-Content-Length", "239"}, 200, "application/octet-stream",
        "kserve-v2-infer-response-binary.bin", chunk, "Inference-Header-Content-Length", "286");
    assertEquals(2L, binary.get(Keys.BATCH_SIZE));
    assertEquals(json.get(Keys.MODEL_INPUTS), binary.get(Keys.MODEL_INPUTS));
    assertEquals(List.of("probabilities:FP32[2,2]", "label:INT64[2]"), binary.get(Keys.MODEL_OUTPUTS));
    assertTwoTransactions(binary);
    assertEquals(json.get(Keys.PREDICTED_CLASS), binary.get(Keys.PREDICTED_CLASS));

    AiCall error = call("/v2/models/fraud-detector/infer", "kserve-v2-infer-request.json", new String[0], 400, JSON,
        "kserve-v2-error.json", chunk);
    assertEquals("400", error.get(Keys.ERROR_TYPE));
  }

  @Test
  void tfServingEveryRequestAndResponseShape() {
    AiCall rows = call("/v1/models/fraud-detector/versions/3:predict", "tfserving-predict-request-instances.json",
        "tfserving-predict-response-predictions.json");
    assertEquals(2L, rows.get(Keys.BATCH_SIZE));
    assertEquals(List.of("amount", "merchant_risk_score", "hour_of_day", "distance_from_home_km"),
        rows.get(Keys.MODEL_INPUTS));
    assertEquals("0", rows.get(Keys.PREDICTED_CLASS));
    assertTwoTransactions(rows);

    AiCall columns = call("/v1/models/fraud-detector:predict", "tfserving-predict-request-inputs.json",
        "tfserving-predict-response-outputs.json");
    assertEquals(2L, columns.get(Keys.BATCH_SIZE));
    assertEquals(List.of("class_ids", "probabilities"), columns.get(Keys.MODEL_OUTPUTS));
    assertTwoTransactions(columns);

    AiCall named = call("/v1/models/fraud-detector:predict", "tfserving-predict-request-instances.json",
        "tfserving-predict-response-named.json");
    assertEquals(2L, named.get(Keys.PREDICTED_ROWS));
    assertEquals("0", named.get(Keys.PREDICTED_CLASS), "the class_ids member");
    assertEquals((LEGIT + FRAUD) / 2, named.get(Keys.PREDICTED_CONFIDENCE), 1e-6, "the top of each probabilities");

    AiCall classify = call("/v1/models/fraud-detector:classify", "tfserving-classify-request.json",
        "tfserving-classify-response.json");
    assertEquals("classification", classify.get(Keys.MODEL_FUNCTION));
    assertEquals(2L, classify.get(Keys.BATCH_SIZE));
    assertEquals("0", classify.get(Keys.PREDICTED_CLASS), "each example's top label: 0 and 0");
    assertEquals((LEGIT + 0.895689) / 2, classify.get(Keys.PREDICTED_CONFIDENCE), 1e-6);

    AiCall regress = call("/v1/models/house-price:regress", "tfserving-regress-request.json",
        "tfserving-regress-response.json");
    assertEquals("regression", regress.get(Keys.MODEL_FUNCTION));
    assertEquals((312750.5 + 689420.25) / 2, regress.get(Keys.PREDICTED_VALUE), 1e-6);
    assertEquals(312750.5, regress.get(Keys.PREDICTED_VALUE_MIN), 1e-6);

    AiCall error = call("/v1/models/fraud-detector:predict", "tfserving-predict-request-instances.json",
        new String[0], 400, JSON, "tfserving-error.json", 11);
    assertEquals("400", error.get(Keys.ERROR_TYPE));
  }

  @Test
  void torchServeClassifierAndOtherAnswers() {
    AiCall classifier = call("/predictions/resnet-18", "kserve-v2-infer-request.json",
        "torchserve-predictions-response-classifier.json");
    assertEquals("golden_retriever", classifier.get(Keys.PREDICTED_CLASS));
    assertEquals(0.8217393159866333, classifier.get(Keys.PREDICTED_CONFIDENCE), 1e-12);
    assertNull(classifier.get(Keys.PREDICTED_ENTROPY), "the top five hold 96%: no whole distribution");
    AiCall detections = call("/predictions/fasterrcnn", "kserve-v2-infer-request.json",
        "torchserve-predictions-response-list.json");
    assertFalse(detections.error, "an object detector's boxes are no error");
    assertNull(detections.get(Keys.PREDICTED_ROWS), "nor a classification");
    AiCall error = call("/predictions/resnet-18", "kserve-v2-infer-request.json", new String[0], 404, JSON,
        "torchserve-error.json", 11);
    assertEquals("ModelVersionNotFoundException", error.get(Keys.ERROR_TYPE), "the type TorchServe named");
  }

  @Test
  void mlflowEveryInputShape() {
    for (String request : new String[] {"mlflow-request-dataframe-split.json", "mlflow-request-dataframe-records.json",
        "mlflow-request-instances.json", "mlflow-request-inputs.json"}) {
      AiCall call = call("/invocations", request, "mlflow-response.json");
      assertEquals(2L, call.get(Keys.BATCH_SIZE), request);
      assertEquals("0", call.get(Keys.PREDICTED_CLASS), request);
      assertEquals(2L, call.get(Keys.PREDICTED_ROWS), request);
    }
    AiCall csv = call("/invocations", "mlflow-request.csv", new String[] {"Content-Type", "text/csv"}, 200, JSON,
        "mlflow-response-dataframe.json", 11);
    assertEquals(2L, csv.get(Keys.BATCH_SIZE));
    assertEquals("0", csv.get(Keys.PREDICTED_CLASS), "each record's label member");
    AiCall error = call("/invocations", "mlflow-request-inputs.json", new String[0], 400, JSON, "mlflow-error.json", 11);
    assertEquals("BAD_REQUEST", error.get(Keys.ERROR_TYPE));
  }

  @Test
  void seldonV1() {
    AiCall call = call("/api/v1.0/predictions", "seldon-v1-request-ndarray.json", "seldon-v1-response.json");
    assertEquals("fraud-classifier", call.get(Keys.MODEL_NAME), "the container in meta.requestPath");
    assertEquals("1.18.2", call.get(Keys.MODEL_VERSION), "its image's tag");
    assertEquals(2L, call.get(Keys.BATCH_SIZE));
    assertEquals("t:0", call.get(Keys.PREDICTED_CLASS));
    assertTwoTransactions(call);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 17, 1 << 16})
  void tgiWholeAndStreamed(int chunk) {
    AiCall whole = call("/generate", "tgi-generate-request.json", new String[0], 200, JSON, "tgi-generate-response.json",
        chunk);
    assertFalse(whole.error, String.valueOf(whole.get(Keys.ERROR_TYPE)));
    assertEquals(27L, whole.get(Keys.OUTPUT_TOKENS));
    assertEquals(15L, whole.get(Keys.INPUT_TOKENS), "the prefill tokens");
    assertEquals(64L, whole.get(Keys.MAX_TOKENS));
    assertEquals(0.7, whole.get(Keys.TEMPERATURE));
    assertEquals(List.of("eos_token"), whole.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of(" It deviates from the cardholder's usual time and location pattern, which is a common "
        + "sign of account takeover."), whole.get(Keys.OUTPUT_HASH));
    AiCall stream = call("/generate_stream", "tgi-generate-request.json", new String[0], 200, "text/event-stream",
        "tgi-generate-stream.sse", chunk);
    assertFalse(stream.error, String.valueOf(stream.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, stream.get(Keys.STREAM));
    assertEquals(15L, stream.get(Keys.INPUT_TOKENS), "input_length");
    assertEquals(15L, stream.get(Keys.OUTPUT_TOKENS));
    assertEquals(Sha256.of(" Unusual time and distance from the cardholder's normal pattern."), stream.get(Keys.OUTPUT_HASH));
    AiCall error = call("/generate", "tgi-generate-request.json", new String[0], 422, JSON, "tgi-error.json", chunk);
    assertEquals("validation", error.get(Keys.ERROR_TYPE));
  }
}
