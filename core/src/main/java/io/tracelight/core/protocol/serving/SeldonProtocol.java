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
import io.tracelight.core.prediction.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Seldon Core's v1 protocol: {@code POST [/seldon/{namespace}/{deployment}]/api/v1.0/predictions}
 * with {@code {"data": {"names": [...], "ndarray": [...]}}} (or a {@code tensor} of shape and
 * values) both ways; the response's {@code names} are the classes of a probability output, and
 * {@code meta.requestPath} names the model container and its image. Seldon Core v2 speaks
 * KServe v2, decoded by {@link KserveV2Protocol}.
 */
@AutoService(Protocol.class)
public final class SeldonProtocol implements Protocol {
  private static final String PREDICTIONS = "/api/v1.0/predictions";
  private static final String INGRESS = "/seldon/";

  @Override
  public String name() {
    return "seldon";
  }

  @Override
  public String defaultProvider() {
    return null;
  }

  @Override
  public boolean matches(RequestView request) {
    return request.path().endsWith(PREDICTIONS);
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    Prediction.start(call, "seldon");
    String path = request.path();
    if (path.startsWith(INGRESS)) { // /seldon/{namespace}/{deployment}/api/...
      String[] parts = path.substring(INGRESS.length()).split("/", 3);
      if (parts.length == 3) {
        call.set(Keys.MODEL_NAME, Paths.decode(parts[1]));
      }
    }
    if (body == null) {
      return;
    }
    if (complete && !Json.hasTopLevelMember(body, length, "data", "jsonData", "strData", "binData")) {
      call.notAiCall(); // not Seldon's message: an application's own predictions endpoint
      return;
    }
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("data")) {
          Data data = data(p, null);
          if (data.names != null) {
            call.set(Keys.MODEL_INPUTS, data.names);
          }
          if (data.rows >= 0) {
            call.set(Keys.BATCH_SIZE, data.rows);
          }
          if (data.features != null && data.features.features() > 0) {
            call.features = data.features;
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** What a {@code data} member holds. */
  private static final class Data {
    List<String> names;
    long rows = -1;
    /** The request's numeric features, with feature capture on; else null. */
    FeatureValues features;
  }

  /**
   * Reads {@code data}: its names, its row count, and with {@code summary} its rows, classed by the
   * names (which come before the rows on the wire; when they come after, rows are classed by index).
   */
  private static Data data(JsonParser p, OutputSummary summary) throws IOException {
    Data data = new Data();
    if (summary == null && FeatureValues.enabled()) {
      data.features = new FeatureValues();
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return data;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "names":
          data.names = new ArrayList<>();
          if (p.currentToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
              String name = Json.scalarText(p);
              if (name != null && data.names.size() < 4096) {
                data.names.add(name);
              }
            }
          } else {
            p.skipChildren();
          }
          break;
        case "ndarray":
          if (summary == null && data.features != null && p.currentToken() == JsonToken.START_ARRAY) {
            long rows = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (p.currentToken() == JsonToken.START_ARRAY) {
                JsonFeatures.arrayRow(p, data.features, data.names);
              } else {
                p.skipChildren();
              }
              rows++;
            }
            data.rows = rows;
          } else if (summary == null) {
            data.rows = Json.countArray(p);
          } else {
            ndarray(p, summary, data);
          }
          break;
        case "tensor":
          tensor(p, summary, data);
          break;
        default:
          p.skipChildren();
      }
    }
    return data;
  }

  private static void ndarray(JsonParser p, OutputSummary summary, Data data) throws IOException {
    if (data.names == null || data.names.size() < 2) {
      JsonRows.rows(p, summary);
      return;
    }
    String[] labels = data.names.toArray(new String[0]);
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    double[] row = new double[labels.length];
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        JsonRows.row(p, summary);
        continue;
      }
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        Double v = Json.number(p);
        if (v != null && n < row.length) {
          row[n++] = v;
        }
      }
      summary.probabilities(row, 0, n, labels);
    }
  }

  /** {@code {"shape": [rows, width], "values": [...]}} in row-major order. */
  private static void tensor(JsonParser p, OutputSummary summary, Data data) throws IOException {
    Tensor t = new Tensor();
    t.datatype = "FP64";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("shape")) {
        t.shape = KserveV2Protocol.shape(p);
      } else if (field.equals("values") && summary != null) {
        KserveV2Protocol.data(p, t);
      } else {
        p.skipChildren();
      }
    }
    data.rows = t.rows();
    if (summary != null && t.numberCount > 0 && t.rows() > 0) {
      int width = (int) Math.max(1, Math.min(t.width(), Tensor.MAX_VALUES));
      String[] labels = data.names == null ? null : data.names.toArray(new String[0]);
      int rows = (int) Math.min(t.rows(), t.numberCount / width);
      for (int r = 0; r < rows && summary.wantsMore(); r++) {
        if (width == 1) {
          summary.value(t.numbers[r]);
        } else {
          summary.probabilities(t.numbers, r * width, width, labels);
        }
      }
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    return null;
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    OutputSummary summary = Prediction.summary(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("data")) {
          Data data = data(p, summary);
          if (data.names != null) {
            call.set(Keys.MODEL_OUTPUTS, data.names);
          }
        } else if (field.equals("meta")) {
          meta(p, call);
        } else {
          p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
    Prediction.finish(call, summary);
  }

  /** {@code meta.requestPath}: the first model container and its image, whose tag is the version. */
  private static void meta(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("requestPath") && p.currentToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String container = p.currentName();
          p.nextToken();
          String image = Json.string(p);
          if (!call.has(Keys.MODEL_NAME)) {
            call.set(Keys.MODEL_NAME, container);
          }
          int colon = image == null ? -1 : image.lastIndexOf(':');
          if (colon >= 0 && colon > image.lastIndexOf('/')) {
            call.setIfAbsent(Keys.MODEL_VERSION, image.substring(colon + 1));
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {
    // {"status": {"code": ..., "info": ..., "reason": ...}}: the status code stands
  }
}
