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
import java.util.List;
import java.util.Locale;

/**
 * TensorFlow Serving's REST API, which KServe's v1 protocol copies:
 * {@code POST /v1/models/{name}[/versions/{version} | /labels/{label}]:predict}, {@code :classify}
 * and {@code :regress}. A request holds rows ({@code instances}, or {@code examples} for classify
 * and regress) or columns ({@code inputs}); a response holds {@code predictions} (rows),
 * {@code outputs} (columns) or {@code results}.
 */
@AutoService(Protocol.class)
public final class TfServingProtocol implements Protocol {
  private static final String MODELS = "/v1/models/";

  private enum Verb {
    PREDICT(":predict"), CLASSIFY(":classify"), REGRESS(":regress");

    final String suffix;

    Verb(String suffix) {
      this.suffix = suffix;
    }

    static Verb of(String path) {
      for (Verb v : values()) {
        if (path.endsWith(v.suffix)) {
          return v;
        }
      }
      return null;
    }
  }

  @Override
  public String name() {
    return "tf_serving";
  }

  @Override
  public String defaultProvider() {
    return null;
  }

  @Override
  public boolean matches(RequestView request) {
    String path = request.path();
    return path.startsWith(MODELS) && Verb.of(path) != null;
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    Prediction.start(call, "tf_serving");
    String path = request.path();
    Verb verb = Verb.of(path);
    String rest = path.substring(MODELS.length(), path.length() - verb.suffix.length());
    int slash = rest.indexOf('/');
    call.set(Keys.MODEL_NAME, Paths.decode(slash < 0 ? rest : rest.substring(0, slash)));
    if (slash >= 0) {
      String selector = rest.substring(slash);
      if (selector.startsWith("/versions/")) {
        call.set(Keys.MODEL_VERSION, Paths.decode(selector.substring("/versions/".length())));
      } else if (selector.startsWith("/labels/")) { // a label names a version the server resolves
        call.set(Keys.MODEL_VERSION, Paths.decode(selector.substring("/labels/".length())));
      }
    }
    if (verb == Verb.CLASSIFY) {
      call.set(Keys.MODEL_FUNCTION, "classification");
    } else if (verb == Verb.REGRESS) {
      call.set(Keys.MODEL_FUNCTION, "regression");
    }
    if (body == null) {
      return;
    }
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "instances":
          case "examples":
            rows(p, call);
            break;
          case "inputs":
            columns(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
    }
  }

  /**
   * Rows: their count is the batch; the members of the first, when it is an object, are the inputs;
   * with feature capture, each row's numbers are features.
   */
  static void rows(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    FeatureValues features = FeatureValues.enabled() ? new FeatureValues() : null;
    long n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.START_OBJECT) {
        List<String> names = n == 0 ? new ArrayList<>() : null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (names != null && names.size() < 64) {
            names.add(name);
          }
          JsonToken v = p.nextToken();
          if (features != null && (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT)) {
            features.add(name, p.getDoubleValue());
          } else {
            p.skipChildren();
          }
        }
        if (names != null) {
          call.set(Keys.MODEL_INPUTS, names);
        }
      } else if (features != null && p.currentToken() == JsonToken.START_ARRAY) {
        JsonFeatures.arrayRow(p, features, null);
      } else {
        p.skipChildren();
      }
      n++;
    }
    call.set(Keys.BATCH_SIZE, n);
    if (features != null && features.features() > 0) {
      call.features = features;
    }
  }

  /**
   * Columns: one array (the batch is its length) or named arrays (the batch is the first's length);
   * with feature capture, each named column's numbers are a feature's values.
   */
  static void columns(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() == JsonToken.START_ARRAY) {
      rows(p, call);
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    FeatureValues features = FeatureValues.enabled() ? new FeatureValues() : null;
    List<String> names = new ArrayList<>();
    Long batch = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (names.size() < 64) {
        names.add(name);
      }
      p.nextToken();
      if (batch == null && features == null && p.currentToken() == JsonToken.START_ARRAY) {
        batch = Json.countArray(p);
      } else if (features != null && p.currentToken() == JsonToken.START_ARRAY) {
        long rows = JsonFeatures.column(p, name, features);
        batch = batch == null ? rows : batch;
      } else {
        p.skipChildren();
      }
    }
    call.set(Keys.MODEL_INPUTS, names);
    if (batch != null) {
      call.set(Keys.BATCH_SIZE, batch);
    }
    if (features != null && features.features() > 0) {
      call.features = features;
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
      p.enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS); // TF Serving writes NaN and Infinity bare
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "predictions":
            JsonRows.rows(p, summary);
            break;
          case "outputs":
            namedColumns(p, summary, call);
            break;
          case "results":
            results(p, summary);
            break;
          default:
            p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
    Prediction.finish(call, call.outputSummary); // named columns may have chosen another
  }

  /** {@code outputs}: rows like {@code predictions}, or named columns of which scores, else classes, else the first tell. */
  private static void namedColumns(JsonParser p, OutputSummary summary, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      JsonRows.rows(p, summary);
      return;
    }
    OutputSummary scores = null;
    OutputSummary classes = null;
    OutputSummary first = null;
    List<String> names = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (names.size() < 64) {
        names.add(name);
      }
      p.nextToken();
      String lower = name.toLowerCase(Locale.ROOT);
      OutputSummary column = new OutputSummary();
      JsonRows.rows(p, column);
      if (scores == null && contains(JsonRows.SCORE_NAMES, lower)) {
        scores = column;
      } else if (classes == null && contains(JsonRows.CLASS_NAMES, lower)) {
        classes = column;
      } else if (first == null) {
        first = column;
      }
    }
    call.set(Keys.MODEL_OUTPUTS, names);
    OutputSummary chosen = scores != null ? scores : classes != null ? classes : first;
    if (chosen != null) {
      call.outputSummary = chosen;
    }
  }

  /** {@code results}: per example a list of {@code [label, score]} pairs (classify), or a value (regress). */
  private static void results(JsonParser p, OutputSummary summary) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    double[] scores = new double[16];
    String[] labels = new String[16];
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        summary.value(p.getDoubleValue());
        continue;
      }
      if (t != JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      int n = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) { // [label, score] pairs
        if (p.currentToken() != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        String label = null;
        double score = Double.NaN;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          JsonToken v = p.currentToken();
          if (v == JsonToken.VALUE_STRING && label == null) {
            label = p.getText();
          } else if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT) {
            score = p.getDoubleValue();
          } else {
            p.skipChildren();
          }
        }
        if (n < JsonRows.MAX_ROW_VALUES) {
          if (n == scores.length) {
            scores = java.util.Arrays.copyOf(scores, n * 2);
            labels = java.util.Arrays.copyOf(labels, n * 2);
          }
          scores[n] = score;
          labels[n] = label != null ? label : Integer.toString(n);
          n++;
        }
      }
      if (n > 0) {
        summary.probabilities(scores, 0, n, labels);
      }
    }
  }

  private static boolean contains(String[] names, String name) {
    for (String n : names) {
      if (n.equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {
    // {"error": "..."}: a message, no type; the status code stands
  }
}
