package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Model servers: KServe v2 (Triton) with JSON and binary tensors, TF Serving and KServe v1, TorchServe,
 * MLflow, Seldon v1, and Hugging Face TGI's native text generation. Every model but TGI is the same
 * small fraud scorer: a row of numeric features gets {@code p(fraud) = 1 / (1 + e^-z)} with
 * {@code z = } {@link #score}; a model whose name contains {@code regress} or {@code price} answers
 * {@code z} itself. Classes are {@code legit} and {@code fraud} where the protocol carries labels,
 * {@code 0} and {@code 1} where it carries indices. Model names ending in {@code -no-such-model}
 * get a 404 and {@code mock-error-500} a 500, in each server's error envelope.
 */
final class ServingHandler extends Handler {
  private static final String JSON_TYPE = "application/json";
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  private static final String[] LABELS = {"legit", "fraud"};

  private enum Kind { KSERVE_V2, TF_SERVING, TORCHSERVE, MLFLOW, SELDON, TGI }

  static boolean matches(Call c) {
    return kind(c.path) != null;
  }

  private static Kind kind(String p) {
    if (p.startsWith("/v2/models/") && p.endsWith("/infer")) {
      return Kind.KSERVE_V2;
    }
    if (p.startsWith("/v1/models/") && (p.endsWith(":predict") || p.endsWith(":classify") || p.endsWith(":regress"))) {
      return Kind.TF_SERVING;
    }
    if (p.startsWith("/predictions/")) {
      return Kind.TORCHSERVE;
    }
    if (p.equals("/invocations")) {
      return Kind.MLFLOW;
    }
    if (p.endsWith("/api/v1.0/predictions")) {
      return Kind.SELDON;
    }
    if (p.equals("/generate") || p.equals("/generate_stream")) {
      return Kind.TGI;
    }
    return null;
  }

  /** The scorer's logit for one row of features. */
  static double score(double[] features) {
    double z = -2.0;
    double[] weights = {0.8, -0.5, 1.2, 0.3};
    for (int i = 0; i < features.length; i++) {
      z += weights[i % weights.length] * features[i];
    }
    return z;
  }

  static double fraudProbability(double[] features) {
    return 1 / (1 + Math.exp(-score(features)));
  }

  private static boolean regressor(String model) {
    return model.contains("regress") || model.contains("price");
  }

  @Override
  void handle(Call c) throws IOException {
    if (!"POST".equals(c.method)) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    Kind kind = kind(c.path);
    switch (kind) {
      case KSERVE_V2:
        kserveV2(c);
        break;
      case TF_SERVING:
        tfServing(c);
        break;
      case TORCHSERVE:
        torchServe(c);
        break;
      case MLFLOW:
        mlflow(c);
        break;
      case SELDON:
        seldon(c);
        break;
      default:
        tgi(c);
    }
  }

  /** The name and version in {@code .../{name}[/versions/{v}]...} after {@code prefix}, before {@code end}. */
  private static String[] nameAndVersion(String path, String prefix, String end, String versionMarker) {
    String rest = path.substring(prefix.length(), path.length() - end.length());
    int at = rest.indexOf(versionMarker);
    return at < 0 ? new String[] {rest, null} : new String[] {rest.substring(0, at), rest.substring(at + versionMarker.length())};
  }

  private boolean misbehavedModel(Call c) throws IOException {
    return misbehaved(c, JSON_TYPE);
  }

  // KServe v2 --------------------------------------------------------------------------------

  private void kserveV2(Call c) throws IOException {
    String[] nv = nameAndVersion(c.path, "/v2/models/", "/infer", "/versions/");
    c.model(nv[0]);
    if (misbehavedModel(c)) {
      return;
    }
    String lengthHeader = c.requestHeader(HEADER_LENGTH);
    int jsonLength = lengthHeader == null ? c.body.length : Integer.parseInt(lengthHeader.trim());
    JsonNode req;
    try {
      req = Call.JSON.readTree(Arrays.copyOf(c.body, jsonLength));
    } catch (IOException e) {
      fail(c, Failure.BAD_REQUEST, "failed to parse the request JSON buffer");
      return;
    }
    JsonNode input = req.path("inputs").path(0);
    long[] shape = longs(input.path("shape"));
    if (shape.length == 0) {
      fail(c, Failure.BAD_REQUEST, "input has no shape");
      return;
    }
    double[] flat;
    if (input.has("data")) {
      List<Double> values = new ArrayList<>();
      flatten(input.path("data"), values);
      flat = values.stream().mapToDouble(Double::doubleValue).toArray();
    } else { // binary: FP32 values after the JSON header
      ByteBuffer b = ByteBuffer.wrap(c.body, jsonLength, c.body.length - jsonLength).order(ByteOrder.LITTLE_ENDIAN);
      flat = new double[b.remaining() / 4];
      for (int i = 0; i < flat.length; i++) {
        flat[i] = b.getFloat();
      }
    }
    double[][] rows = rows(flat, shape);
    boolean binary = req.path("parameters").path("binary_data_output").asBoolean(false);
    for (JsonNode o : req.path("outputs")) {
      binary |= o.path("parameters").path("binary_data").asBoolean(false);
    }
    String version = nv[1] != null ? nv[1] : "1";
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("kserve_v2", "predict", nv[0], false)
        .prediction(version, rows.length);
    ObjectNode res = Call.object().put("model_name", nv[0]).put("model_version", version);
    if (req.has("id")) {
      res.put("id", req.path("id").asText());
    }
    ArrayNode outputs = res.putArray("outputs");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    if (regressor(nv[0])) {
      float[] values = new float[rows.length];
      for (int r = 0; r < rows.length; r++) {
        values[r] = (float) score(rows[r]);
        sent.regressed(values[r]);
      }
      tensor(outputs, raw, binary, "value", "FP32", new long[] {rows.length, 1}, values, null);
    } else {
      float[] probabilities = new float[rows.length * 2];
      long[] labels = new long[rows.length];
      for (int r = 0; r < rows.length; r++) {
        float fraud = (float) fraudProbability(rows[r]);
        probabilities[2 * r] = 1 - fraud;
        probabilities[2 * r + 1] = fraud;
        labels[r] = fraud >= 0.5f ? 1 : 0;
        sent.classified(Long.toString(labels[r]), Math.max(fraud, 1 - fraud));
      }
      tensor(outputs, raw, binary, "probabilities", "FP32", new long[] {rows.length, 2}, probabilities, null);
      tensor(outputs, raw, binary, "label", "INT64", new long[] {rows.length}, null, labels);
    }
    byte[] header = Call.JSON.writeValueAsBytes(res);
    if (binary) {
      c.header(HEADER_LENGTH, Integer.toString(header.length));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(header);
      body.write(raw.toByteArray());
      c.answer("application/octet-stream", body.toByteArray(), sent);
    } else {
      c.answer(JSON_TYPE, header, sent);
    }
  }

  private static void tensor(ArrayNode outputs, ByteArrayOutputStream raw, boolean binary, String name, String type,
      long[] shape, float[] floats, long[] longs) {
    ObjectNode t = outputs.addObject().put("name", name).put("datatype", type);
    ArrayNode s = t.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    int n = floats != null ? floats.length : longs.length;
    if (binary) {
      ByteBuffer b = ByteBuffer.allocate(n * (floats != null ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        if (floats != null) {
          b.putFloat(floats[i]);
        } else {
          b.putLong(longs[i]);
        }
      }
      raw.write(b.array(), 0, b.capacity());
      t.putObject("parameters").put("binary_data_size", b.capacity());
    } else {
      ArrayNode data = t.putArray("data");
      for (int i = 0; i < n; i++) {
        if (floats != null) {
          data.add(floats[i]);
        } else {
          data.add(longs[i]);
        }
      }
    }
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static void flatten(JsonNode node, List<Double> into) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, into));
    } else if (node.isNumber()) {
      into.add(node.asDouble());
    }
  }

  /** Row-major values cut into {@code shape[0]} rows. */
  private static double[][] rows(double[] flat, long[] shape) {
    int n = (int) shape[0];
    int width = n == 0 ? 0 : flat.length / n;
    double[][] rows = new double[n][];
    for (int r = 0; r < n; r++) {
      rows[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
    return rows;
  }

  /** One row's features: an array of numbers, or an object's numeric members (nested arrays flattened). */
  private static double[] features(JsonNode row) {
    List<Double> values = new ArrayList<>();
    if (row.isObject()) {
      row.forEach(v -> flatten(v, values));
    } else {
      flatten(row, values);
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  // TF Serving -------------------------------------------------------------------------------

  private void tfServing(Call c) throws IOException {
    String verb = c.path.substring(c.path.lastIndexOf(':') + 1);
    String[] nv = nameAndVersion(c.path, "/v1/models/", ":" + verb, "/versions/");
    c.model(nv[0]);
    if (misbehavedModel(c)) {
      return;
    }
    JsonNode req = c.json();
    if (req == null || !req.isObject()) {
      fail(c, Failure.BAD_REQUEST, "JSON Parse error: The document is empty.");
      return;
    }
    List<double[]> rows = new ArrayList<>();
    JsonNode instances = req.has("instances") ? req.path("instances") : req.path("examples");
    if (instances.isArray()) {
      instances.forEach(r -> rows.add(features(r)));
    } else if (req.path("inputs").isArray()) {
      req.path("inputs").forEach(r -> rows.add(features(r)));
    } else if (req.path("inputs").isObject()) { // named columns: one feature each
      List<JsonNode> columns = new ArrayList<>();
      req.path("inputs").forEach(columns::add);
      int n = columns.isEmpty() ? 0 : columns.get(0).size();
      for (int r = 0; r < n; r++) {
        double[] row = new double[columns.size()];
        for (int f = 0; f < row.length; f++) {
          row[f] = columns.get(f).path(r).asDouble();
        }
        rows.add(row);
      }
    } else {
      fail(c, Failure.BAD_REQUEST, "Missing 'inputs' or 'instances' key");
      return;
    }
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("tf_serving", "predict", nv[0], false)
        .prediction(nv[1], rows.size()); // TF Serving names no version in its answer
    ObjectNode res = Call.object();
    boolean regress = verb.equals("regress") || verb.equals("predict") && regressor(nv[0]);
    ArrayNode out = res.putArray(verb.equals("predict") ? "predictions" : "results");
    for (double[] row : rows) {
      if (regress) {
        double v = score(row);
        out.add(v);
        sent.regressed(v);
        continue;
      }
      double fraud = fraudProbability(row);
      if (verb.equals("classify")) {
        ArrayNode pairs = out.addArray();
        pairs.addArray().add(LABELS[0]).add(1 - fraud);
        pairs.addArray().add(LABELS[1]).add(fraud);
        sent.classified(fraud >= 0.5 ? LABELS[1] : LABELS[0], Math.max(fraud, 1 - fraud));
      } else {
        out.addArray().add(1 - fraud).add(fraud);
        sent.classified(fraud >= 0.5 ? "1" : "0", Math.max(fraud, 1 - fraud));
      }
    }
    c.answer(JSON_TYPE, res, sent);
  }

  // TorchServe -------------------------------------------------------------------------------

  private void torchServe(Call c) throws IOException {
    String rest = c.path.substring("/predictions/".length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String version = slash < 0 ? null : rest.substring(slash + 1);
    c.model(name);
    if (misbehavedModel(c)) {
      return;
    }
    JsonNode req = c.json();
    double[] row = req != null && !req.isMissingNode() ? features(req.has("data") ? req.path("data") : req)
        : new double[] {c.body.length / 100.0};
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("torchserve", "predict", name, false)
        .prediction(version, 1);
    if (regressor(name)) {
      double v = score(row);
      sent.regressed(v);
      c.answer(JSON_TYPE, Call.utf8("[" + v + "]"), sent);
      return;
    }
    double fraud = fraudProbability(row);
    ObjectNode res = Call.object(); // the stock classifier's top classes, highest first
    if (fraud >= 0.5) {
      res.put(LABELS[1], fraud).put(LABELS[0], 1 - fraud);
    } else {
      res.put(LABELS[0], 1 - fraud).put(LABELS[1], fraud);
    }
    sent.classified(fraud >= 0.5 ? LABELS[1] : LABELS[0], Math.max(fraud, 1 - fraud));
    c.answer(JSON_TYPE, res, sent);
  }

  // MLflow -----------------------------------------------------------------------------------

  private void mlflow(Call c) throws IOException {
    c.model("mlflow-model");
    JsonNode req = c.json();
    List<double[]> rows = new ArrayList<>();
    if (req != null && req.path("dataframe_split").isObject()) {
      req.path("dataframe_split").path("data").forEach(r -> rows.add(features(r)));
    } else if (req != null && req.path("dataframe_records").isArray()) {
      req.path("dataframe_records").forEach(r -> rows.add(features(r)));
    } else if (req != null && req.path("instances").isArray()) {
      req.path("instances").forEach(r -> rows.add(features(r)));
    } else if (req != null && req.path("inputs").isArray()) {
      req.path("inputs").forEach(r -> rows.add(features(r)));
    } else {
      fail(c, Failure.BAD_REQUEST, "Invalid input. The input must be a JSON dictionary with exactly one of the input fields"
          + " {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}.");
      return;
    }
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("mlflow", "predict", "mlflow-model", false)
        .prediction(null, rows.size());
    ArrayNode predictions = Call.object().putArray("predictions");
    for (double[] row : rows) {
      long label = fraudProbability(row) >= 0.5 ? 1 : 0;
      predictions.add(label);
      sent.classified(Long.toString(label), Double.NaN);
    }
    ObjectNode res = Call.object();
    res.set("predictions", predictions);
    c.answer(JSON_TYPE, res, sent);
  }

  // Seldon v1 --------------------------------------------------------------------------------

  private void seldon(Call c) throws IOException {
    String name = "classifier";
    if (c.path.startsWith("/seldon/")) {
      String[] parts = c.path.substring("/seldon/".length()).split("/");
      name = parts.length > 1 ? parts[1] : name;
    }
    c.model(name);
    JsonNode req = c.json();
    JsonNode ndarray = req == null ? null : req.path("data").path("ndarray");
    if (ndarray == null || !ndarray.isArray()) {
      fail(c, Failure.BAD_REQUEST, "Empty json parameter in data");
      return;
    }
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("seldon", "predict", name, false)
        .prediction("1.2", ndarray.size());
    ObjectNode res = Call.object();
    ObjectNode data = res.putObject("data");
    data.putArray("names").add(LABELS[0]).add(LABELS[1]);
    ArrayNode out = data.putArray("ndarray");
    for (JsonNode r : ndarray) {
      double fraud = fraudProbability(features(r));
      out.addArray().add(1 - fraud).add(fraud);
      sent.classified(fraud >= 0.5 ? LABELS[1] : LABELS[0], Math.max(fraud, 1 - fraud));
    }
    res.putObject("meta").putObject("requestPath").put(name, "seldonio/" + name + ":1.2");
    c.answer(JSON_TYPE, res, sent);
  }

  // TGI --------------------------------------------------------------------------------------

  private void tgi(Call c) throws IOException {
    c.model("tgi");
    JsonNode req = c.json();
    if (req == null || !req.path("inputs").isTextual()) {
      fail(c, Failure.BAD_REQUEST, "Input validation error: `inputs` must be a string");
      return;
    }
    JsonNode params = req.path("parameters");
    String text = Answers.text("tgi", 1);
    List<String> pieces = Answers.pieces(text);
    long generated = pieces.size();
    long maxNew = params.path("max_new_tokens").asLong(1000);
    String finish = "eos_token";
    if (generated > maxNew) {
      generated = maxNew;
      finish = "length";
      text = String.join("", pieces.subList(0, (int) maxNew));
    }
    long prefill = Answers.promptTokens(req.path("inputs").asText().length());
    boolean inputDetails = params.path("decoder_input_details").asBoolean(false);
    boolean stream = c.path.equals("/generate_stream");
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("tgi", "text_completion", "tgi", stream)
        .text(text).finish(finish).tokens(inputDetails && !stream ? prefill : -1, generated);
    if (!stream) {
      ObjectNode res = Call.object().put("generated_text", text);
      if (params.path("details").asBoolean(false)) {
        ObjectNode details = res.putObject("details").put("finish_reason", finish).put("generated_tokens", generated);
        details.putNull("seed");
        ArrayNode pre = details.putArray("prefill");
        if (inputDetails) {
          for (int i = 0; i < prefill; i++) {
            pre.addObject().put("id", 100 + i).put("text", "t").put("logprob", i == 0 ? null : -1.5);
          }
        }
        ArrayNode tokens = details.putArray("tokens");
        for (int i = 0; i < generated; i++) {
          tokens.addObject().put("id", 1000 + i).put("text", pieces.get(i)).put("logprob", -0.25).put("special", false);
        }
      }
      c.answer(JSON_TYPE, res, sent);
      return;
    }
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < generated; i++) {
      ObjectNode event = Call.object().put("index", i + 1);
      event.putObject("token").put("id", 1000 + i).put("text", pieces.get(i)).put("logprob", -0.25).put("special", false);
      if (i == generated - 1) {
        event.put("generated_text", text);
        ObjectNode details = event.putObject("details").put("finish_reason", finish).put("generated_tokens", generated);
        details.putNull("seed");
      } else {
        event.putNull("generated_text");
        event.putNull("details");
      }
      sse.append("data:").append(Call.JSON.writeValueAsString(event)).append("\n\n");
    }
    c.answer("text/event-stream", sse.toString().getBytes(StandardCharsets.UTF_8), sent);
  }

  // Errors -----------------------------------------------------------------------------------

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int status = failure == Failure.NO_MODEL || failure == Failure.NO_ENDPOINT ? 404
        : failure == Failure.BAD_REQUEST ? 400 : failure == Failure.RATE_LIMIT ? 429
        : failure == Failure.OVERLOADED ? 503 : 500;
    String text = message != null ? message : failure == Failure.NO_MODEL ? "Model not found: " + c.model
        : failure == Failure.NO_ENDPOINT ? "Requested resource not found" : "Internal server error";
    Kind kind = kind(c.path);
    ObjectNode body = Call.object();
    if (kind == Kind.TORCHSERVE) {
      body.put("code", status).put("type", status == 404 ? "ModelNotFoundException" : "InternalServerException")
          .put("message", text);
    } else if (kind == Kind.MLFLOW) {
      body.put("error_code", status == 400 ? "BAD_REQUEST" : "INTERNAL_ERROR").put("message", text);
    } else if (kind == Kind.SELDON) {
      body.putObject("status").put("code", -1).put("info", text).put("reason", "MICROSERVICE_BAD_DATA")
          .put("status", "FAILURE");
    } else if (kind == Kind.TGI) {
      body.put("error", text).put("error_type", status == 400 ? "validation" : "generation");
    } else {
      body.put("error", text);
    }
    c.sendJson(status, JSON_TYPE, body);
  }
}
