package io.tracelight.core.protocol.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.prediction.FeatureValues;
import io.tracelight.core.prediction.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The KServe v2 (Open Inference) protocol, which Triton, KServe, Seldon MLServer, TorchServe and
 * OpenVINO speak over HTTP: {@code POST .../v2/models/{name}[/versions/{version}]/infer}. Inputs and
 * outputs are named tensors with a datatype and a shape; with the binary tensor extension a JSON
 * header of {@code Inference-Header-Content-Length} bytes is followed by the raw tensors, of which
 * only the outputs a summary needs are read.
 */
@AutoService(Protocol.class)
public final class KserveV2Protocol implements Protocol {
  static final String HEADER_LENGTH = "inference-header-content-length";
  private static final String MODELS = "/v2/models/";

  @Override
  public String name() {
    return "kserve.v2";
  }

  @Override
  public String defaultProvider() {
    return null;
  }

  @Override
  public List<String> requestHeaders() {
    return Arrays.asList(HEADER_LENGTH);
  }

  @Override
  public List<String> responseHeaders() {
    return Arrays.asList(HEADER_LENGTH);
  }

  @Override
  public boolean matches(RequestView request) {
    String path = request.path();
    return path.endsWith("/infer") && path.contains(MODELS);
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    Prediction.start(call, "kserve_v2");
    String path = request.path();
    int from = path.indexOf(MODELS) + MODELS.length();
    int to = path.length() - "/infer".length();
    String rest = from <= to ? path.substring(from, to) : ""; // ".../v2/models/infer" names no model
    int slash = rest.indexOf('/');
    if (!rest.isEmpty()) {
      call.set(Keys.MODEL_NAME, io.tracelight.core.protocol.Paths.decode(slash < 0 ? rest : rest.substring(0, slash)));
    }
    if (slash >= 0 && rest.startsWith("/versions/", slash)) {
      call.set(Keys.MODEL_VERSION, io.tracelight.core.protocol.Paths.decode(rest.substring(slash + "/versions/".length())));
    }
    if (body == null) {
      return;
    }
    int json = jsonLength(request.header(HEADER_LENGTH), length);
    if (json == 0) {
      return; // Triton's raw binary request: the body is the one input's bytes, with no JSON to read
    }
    List<Tensor> inputs = new ArrayList<>();
    try (JsonParser p = Json.parser(body, 0, json)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("inputs")) {
          tensors(p, inputs, FeatureValues.enabled());
        } else {
          p.skipChildren();
        }
      }
    }
    Prediction.inputs(call, inputs);
    if (FeatureValues.enabled()) {
      FeatureValues features = new FeatureValues();
      for (Tensor t : inputs) {
        features.addTensor(t);
      }
      call.features = features.features() > 0 ? features : null;
    }
  }

  /** The JSON part's length: the header's value when it is a number within the body, else all of it. */
  static int jsonLength(String header, int length) throws IOException {
    if (header != null) {
      try {
        long n = Long.parseLong(header.trim());
        if (n > length) {
          throw new IOException("the JSON header is longer than the body captured"); // cut: a truncated record
        }
        if (n >= 0) {
          return (int) n;
        }
      } catch (NumberFormatException e) {
        // a header the server would reject too: read the whole body as JSON
      }
    }
    return length;
  }

  /** An array of tensor objects; with {@code data}, their elements are read (outputs). */
  static void tensors(JsonParser p, List<Tensor> into, boolean readData) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      Tensor t = new Tensor();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "name":
            t.name = Json.string(p);
            break;
          case "datatype":
            t.datatype = Json.string(p);
            break;
          case "shape":
            t.shape = shape(p);
            break;
          case "data":
            if (readData) {
              data(p, t);
            } else {
              p.skipChildren();
            }
            break;
          case "parameters":
            Long size = Json.integerMember(p, "binary_data_size");
            t.binarySize = size == null ? -1 : size;
            break;
          default:
            p.skipChildren();
        }
      }
      if (into.size() < 64) {
        into.add(t);
      }
    }
  }

  static long[] shape(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    long[] dims = new long[0];
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && dims.length < 16) {
        dims = Arrays.copyOf(dims, dims.length + 1);
        dims[dims.length - 1] = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    return dims;
  }

  /** Tensor elements, flat or nested, in row-major order. */
  static void data(JsonParser p, Tensor t) throws IOException {
    JsonToken tok = p.currentToken();
    if (tok == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        data(p, t);
      }
    } else if (tok == JsonToken.VALUE_NUMBER_INT || tok == JsonToken.VALUE_NUMBER_FLOAT) {
      t.addNumber(p.getDoubleValue());
    } else if (tok == JsonToken.VALUE_STRING) {
      t.addString(p.getText());
    } else if (tok == JsonToken.VALUE_TRUE || tok == JsonToken.VALUE_FALSE) {
      t.addNumber(tok == JsonToken.VALUE_TRUE ? 1 : 0);
    } else {
      p.skipChildren();
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    return null;
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    int json = jsonLength(response.header(HEADER_LENGTH), length);
    List<Tensor> outputs = new ArrayList<>();
    try (JsonParser p = Json.parser(body, 0, json)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model_name":
            call.setIfAbsent(Keys.MODEL_NAME, Json.string(p));
            break;
          case "model_version":
            call.setIfAbsent(Keys.MODEL_VERSION, Json.scalarText(p));
            break;
          case "outputs":
            tensors(p, outputs, true);
            break;
          default:
            p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
    int at = json;
    for (Tensor t : outputs) { // binary outputs follow the header in the order the header lists them
      if (t.binarySize >= 0) {
        int size = (int) Math.min(t.binarySize, length - at);
        if (size < t.binarySize) {
          call.truncated();
          break;
        }
        t.readBinary(body, at, size);
        at += size;
      }
    }
    Prediction.outputs(call, outputs);
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {
    // {"error": "..."}: a message, no type; the status code stands
  }
}
