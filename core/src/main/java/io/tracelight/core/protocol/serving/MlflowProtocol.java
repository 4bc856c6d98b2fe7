package io.tracelight.core.protocol.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.FeatureValues;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Paths;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scoring endpoint {@code POST /invocations} of MLflow's model server (which Seldon MLServer and
 * SageMaker containers also answer; a SageMaker runtime path {@code /endpoints/{name}/invocations}
 * names the endpoint). The request is one of MLflow's JSON shapes ({@code dataframe_split},
 * {@code dataframe_records}, {@code instances}, {@code inputs}) or CSV; the response is
 * {@code {"predictions": ...}} (MLflow 2) or a bare array (MLflow 1). The server serves one model,
 * whose name is not on the wire: the record names the server instead. A JSON body with none of
 * MLflow's input fields is some other {@code /invocations} and is not recorded (on SageMaker, whose
 * containers take any format, every call is).
 */
@AutoService(Protocol.class)
public final class MlflowProtocol implements Protocol {
  private static final String INVOCATIONS = "/invocations";
  private static final String ENDPOINTS = "/endpoints/";

  @Override
  public String name() {
    return "mlflow";
  }

  @Override
  public String defaultProvider() {
    return null;
  }

  @Override
  public List<String> requestHeaders() {
    return Arrays.asList("content-type");
  }

  @Override
  public boolean matches(RequestView request) {
    return request.path().endsWith(INVOCATIONS);
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    String path = request.path();
    boolean sagemaker = path.startsWith(ENDPOINTS);
    Prediction.start(call, sagemaker ? "sagemaker" : "mlflow");
    if (sagemaker) {
      call.set(Keys.MODEL_NAME, Paths.segmentAfter(path, ENDPOINTS, false));
    } else {
      call.set(Keys.MODEL_NAME, request.host() + ":" + request.port()); // one model per server
    }
    if (body == null) {
      return;
    }
    String type = request.header("content-type");
    if (type != null && type.contains("csv")) {
      call.set(Keys.BATCH_SIZE, csvRows(body, length, complete));
      return;
    }
    if (complete && !Json.startsAsObject(body, length)) {
      return; // an input format of the model's own
    }
    if (complete && !sagemaker && !Json.hasTopLevelMember(body, length, "dataframe_split", "dataframe_records",
        "instances", "inputs")) {
      call.notAiCall(); // MLflow takes only these: an application's own /invocations
      return;
    }
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "dataframe_split":
            split(p, call);
            break;
          case "dataframe_records":
          case "instances":
            TfServingProtocol.rows(p, call);
            break;
          case "inputs":
            TfServingProtocol.columns(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
    }
  }

  /** Lines after the header line; a last line without a newline counts. */
  private static long csvRows(byte[] body, int length, boolean complete) {
    long lines = 0;
    for (int i = 0; i < length; i++) {
      if (body[i] == '\n') {
        lines++;
      }
    }
    if (complete && length > 0 && body[length - 1] != '\n') {
      lines++;
    }
    return Math.max(0, lines - 1);
  }

  /**
   * {@code {"columns": [...], "data": [[...], ...]}}; with feature capture, each row's numbers are
   * the columns' values (named by index when the columns come after the data).
   */
  private static void split(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    List<String> columns = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("columns")) {
        columns = strings(p);
        call.set(Keys.MODEL_INPUTS, columns);
      } else if (field.equals("data") && FeatureValues.enabled() && p.currentToken() == JsonToken.START_ARRAY) {
        FeatureValues features = new FeatureValues();
        long rows = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() == JsonToken.START_ARRAY) {
            JsonFeatures.arrayRow(p, features, columns);
          } else {
            p.skipChildren();
          }
          rows++;
        }
        call.set(Keys.BATCH_SIZE, rows);
        call.features = features.features() > 0 ? features : null;
      } else if (field.equals("data")) {
        call.set(Keys.BATCH_SIZE, Json.countArray(p));
      } else {
        p.skipChildren();
      }
    }
  }

  private static List<String> strings(JsonParser p) throws IOException {
    List<String> list = new ArrayList<>();
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return list;
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String s = Json.scalarText(p);
      if (s != null && list.size() < 64) {
        list.add(s);
      }
    }
    return list;
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    return null;
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    String type = response.contentType();
    if (type != null && !type.contains("json")) {
      return; // CSV or the model's own format
    }
    OutputSummary summary = Prediction.summary(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) {
        JsonRows.rows(p, summary); // MLflow 1: the predictions themselves
      } else {
        Json.expectObject(p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("predictions")) {
            if (p.currentToken() == JsonToken.START_OBJECT) { // a DataFrame answer: its first column
              p.nextToken();
              if (p.currentToken() == JsonToken.FIELD_NAME) {
                p.nextToken();
                JsonRows.rows(p, summary);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                  p.nextToken();
                  p.skipChildren();
                }
              }
            } else {
              JsonRows.rows(p, summary);
            }
          } else {
            p.skipChildren();
          }
        }
      }
      Json.expectEnd(p);
    }
    Prediction.finish(call, summary);
  }

  /** {@code {"error_code": "BAD_REQUEST", "message": ...}}: the code. */
  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    String type = Json.errorMember(body, length, "error_code");
    if (type != null) {
      call.fail(type);
    }
  }
}
