package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API (AI Studio, {@code /v1beta/models/{m}:method}) and Gemini on Vertex AI
 * ({@code /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:method}, also without the
 * project part as in express mode). Streams are SSE ({@code alt=sse}, events ending in CRLF CRLF)
 * or one JSON array sent element by element. AI Studio puts the running usage in every chunk;
 * Vertex only in the last. The API key ({@code x-goog-api-key} or {@code ?key=}) is not checked.
 */
final class GeminiHandler extends Handler {
  private static final String JSON_TYPE = "application/json; charset=UTF-8";
  private static final Pattern STUDIO = Pattern.compile("^/(v1|v1beta|v1alpha)/models/([^/:]+):([A-Za-z]+)$");
  private static final Pattern VERTEX = Pattern.compile(
      "^/(v1|v1beta1)/(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/([^/:]+):([A-Za-z]+)$");
  private static final String CREATE_TIME = "2024-11-23T22:13:20.000000Z";

  static boolean matches(String path) {
    return STUDIO.matcher(path).matches() || VERTEX.matcher(path).matches();
  }

  /** What one request is about: which API, which version and method. */
  private static final class Target {
    final boolean vertex;
    final String version;
    final String method;

    Target(boolean vertex, String version, String method) {
      this.vertex = vertex;
      this.version = version;
      this.method = method;
    }

    String provider() {
      return vertex ? "gcp.vertex_ai" : "gcp.gemini";
    }
  }

  @Override
  void handle(Call c) throws IOException {
    Matcher m = STUDIO.matcher(c.path);
    boolean vertex = !m.matches();
    if (vertex) {
      m = VERTEX.matcher(c.path);
      m.matches();
    }
    c.model(m.group(2));
    Target t = new Target(vertex, m.group(1), m.group(3));
    JsonNode req = c.json();
    if (!"POST".equals(c.method)) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    if (req == null) {
      fail(c, Failure.BAD_REQUEST, null);
      return;
    }
    switch (t.method) {
      case "generateContent":
        generate(c, req, t, false);
        break;
      case "streamGenerateContent":
        generate(c, req, t, true);
        break;
      case "countTokens":
        countTokens(c, req);
        break;
      case "embedContent":
      case "batchEmbedContents":
        embed(c, req, t);
        break;
      case "predict":
        if (vertex) {
          predict(c, req);
          break;
        }
        fail(c, Failure.NO_ENDPOINT, null);
        break;
      default:
        fail(c, Failure.NO_ENDPOINT, null);
    }
  }

  private static Conversation conversation(JsonNode req) {
    Conversation conv = new Conversation().system(req.path("systemInstruction").path("parts"));
    JsonNode contents = req.path("contents");
    contents.forEach(content -> conv.message(content.path("parts")));
    if (contents.size() > 0) {
      for (JsonNode part : contents.get(contents.size() - 1).path("parts")) {
        conv.toolResultLast |= part.has("functionResponse");
      }
    }
    for (JsonNode tool : req.path("tools")) {
      for (JsonNode f : tool.path("functionDeclarations")) {
        conv.tool(f.path("name").asText(null), f.has("parameters") ? f.path("parameters") : f.path("parametersJsonSchema"));
      }
    }
    return conv;
  }

  private void generate(Call c, JsonNode req, Target t, boolean streamed) throws IOException {
    Conversation conv = conversation(req);
    String responseId = "mockresp" + c.nextId();
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    Reply r = Reply.of(c, conv);
    long cached = r.input / 2;
    boolean stream = c.streams(streamed);
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder(t.provider(), "generate_content", c.model, stream)
        .id(responseId).text(r.kind == Reply.Kind.REFUSAL ? "" : r.text);
    if (r.kind == Reply.Kind.REFUSAL) {
      sent.tokens(r.input, -1); // a blocked prompt: no candidates, only the prompt counted
    } else {
      sent.tokens(r.input, r.output + Answers.REASONING).cache(cached, -1).reasoning(Answers.REASONING).finish("STOP");
    }
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(null, r.toolName, r.argsJson());
    }
    if (!stream) {
      ObjectNode body = r.kind == Reply.Kind.REFUSAL ? blocked(c, t, r, responseId)
          : response(c, t, responseId, parts(r, r.text), "STOP", usage(t, r, r.output, true));
      c.answer(JSON_TYPE, Call.utf8(GoogleJson.pretty(body)), sent);
      return;
    }
    List<ObjectNode> chunks = new ArrayList<>();
    if (r.kind == Reply.Kind.REFUSAL) {
      chunks.add(blocked(c, t, r, responseId));
    } else if (r.kind == Reply.Kind.TOOL) {
      chunks.add(response(c, t, responseId, parts(r, null), "STOP", usage(t, r, r.output, true)));
    } else {
      List<String> pieces = Answers.pieces(r.text);
      for (int k = 0; k < pieces.size(); k++) {
        boolean last = k == pieces.size() - 1;
        // AI Studio omits the candidate count in the first chunk and then counts up; the last is exact
        long candidates = last ? r.output : k == 0 ? -1 : Math.min(k + 1, r.output);
        chunks.add(response(c, t, responseId, parts(r, pieces.get(k)), last ? "STOP" : null, usage(t, r, candidates, last)));
      }
    }
    ObjectNode error = Call.object();
    error.putObject("error").put("code", 500).put("message", "The mock model failed mid-stream on purpose.")
        .put("status", "INTERNAL");
    Script s = new Script();
    boolean sse = "sse".equals(c.query("alt"));
    for (int k = 0; k < chunks.size(); k++) {
      boolean last = k == chunks.size() - 1;
      String frame = sse ? "data: " + GoogleJson.compact(chunks.get(k)) + "\r\n\r\n"
          : (k == 0 ? "[" : "\n,\r\n") + GoogleJson.pretty(chunks.get(k));
      s.add(last ? Script.Role.END : Script.Role.PIECE, frame);
    }
    if (sse) {
      c.header("Content-Disposition", "attachment");
      c.play("text/event-stream", s, Call.utf8("data: " + GoogleJson.compact(error) + "\r\n\r\n"), sent);
    } else {
      s.frame("\n]");
      c.play(JSON_TYPE, s, Call.utf8("\n,\r\n" + GoogleJson.pretty(error) + "\n]"), sent);
    }
  }

  private static ArrayNode parts(Reply r, String text) {
    ArrayNode parts = Call.JSON.createArrayNode();
    if (r.kind == Reply.Kind.TOOL) {
      parts.addObject().putObject("functionCall").put("name", r.toolName).set("args", r.toolArgs);
    } else {
      parts.addObject().put("text", text);
    }
    return parts;
  }

  /** A GenerateContentResponse with one candidate; a null finish reason means the model has not stopped. */
  private static ObjectNode response(Call c, Target t, String responseId, ArrayNode parts, String finish, ObjectNode usage) {
    ObjectNode candidate = Call.object();
    ObjectNode content = candidate.putObject("content");
    if (t.vertex) {
      content.put("role", "model").set("parts", parts);
    } else {
      content.<ObjectNode>set("parts", parts).put("role", "model");
    }
    if (finish != null) {
      candidate.put("finishReason", finish);
    }
    if (!t.vertex) {
      candidate.put("index", 0);
    }
    ObjectNode body = Call.object();
    body.putArray("candidates").add(candidate);
    return tail(body, c, t, responseId, usage);
  }

  /** A prompt blocked for safety: no candidates, only the prompt feedback and its tokens. */
  private static ObjectNode blocked(Call c, Target t, Reply r, String responseId) {
    ObjectNode body = Call.object();
    ObjectNode feedback = body.putObject("promptFeedback").put("blockReason", "SAFETY");
    ArrayNode ratings = feedback.putArray("safetyRatings");
    for (String category : new String[] {"SEXUALLY_EXPLICIT", "HATE_SPEECH", "HARASSMENT", "DANGEROUS_CONTENT"}) {
      ObjectNode rating = ratings.addObject().put("category", "HARM_CATEGORY_" + category);
      if (category.equals("HARASSMENT")) {
        rating.put("probability", "MEDIUM").put("blocked", true);
      } else {
        rating.put("probability", "NEGLIGIBLE");
      }
    }
    ObjectNode usage = Call.object().put("promptTokenCount", r.input).put("totalTokenCount", r.input);
    if (t.vertex) {
      usage.put("trafficType", "ON_DEMAND");
    }
    usage.set("promptTokensDetails", details(r.input));
    return tail(body, c, t, responseId, usage);
  }

  private static ObjectNode tail(ObjectNode body, Call c, Target t, String responseId, ObjectNode usage) {
    body.set("usageMetadata", usage);
    body.put("modelVersion", c.model);
    if (t.vertex) {
      body.put("createTime", CREATE_TIME);
    }
    return body.put("responseId", responseId);
  }

  /**
   * usageMetadata: the prompt count includes the cached part, thoughts are counted apart from the
   * candidates; -1 candidates leaves the count out. Vertex sends counts only in the final chunk.
   */
  private static ObjectNode usage(Target t, Reply r, long candidates, boolean last) {
    ObjectNode u = Call.object();
    if (t.vertex && !last) {
      return u.put("trafficType", "ON_DEMAND");
    }
    long cached = r.input / 2;
    u.put("promptTokenCount", r.input);
    if (candidates >= 0) {
      u.put("candidatesTokenCount", candidates);
    }
    u.put("totalTokenCount", r.input + Math.max(0, candidates) + Answers.REASONING);
    u.put("cachedContentTokenCount", cached);
    if (t.vertex) {
      u.put("trafficType", "ON_DEMAND");
    }
    u.set("promptTokensDetails", details(r.input));
    u.set("cacheTokensDetails", details(cached));
    if (t.vertex) {
      u.set("candidatesTokensDetails", details(candidates));
    }
    return u.put("thoughtsTokenCount", Answers.REASONING);
  }

  private static ArrayNode details(long tokens) {
    ArrayNode a = Call.JSON.createArrayNode();
    a.addObject().put("modality", "TEXT").put("tokenCount", tokens);
    return a;
  }

  private void countTokens(Call c, JsonNode req) throws IOException {
    JsonNode inner = req.has("generateContentRequest") ? req.path("generateContentRequest") : req;
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    long tokens = conversation(inner).promptTokens();
    ObjectNode body = Call.object().put("totalTokens", tokens);
    body.set("promptTokensDetails", details(tokens));
    c.send(200, JSON_TYPE, Call.utf8(GoogleJson.pretty(body)));
  }

  private int dimensions(Call c, JsonNode request) {
    int asked = request.path("outputDimensionality").asInt(request.path("embedContentConfig").path("outputDimensionality").asInt(0));
    return asked > 0 ? asked : c.model.contains("gemini-embedding") ? 3072 : 768;
  }

  /** embedContent and batchEmbedContents; only Vertex reports tokens for them. */
  private void embed(Call c, JsonNode req, Target t) throws IOException {
    boolean batch = t.method.equals("batchEmbedContents");
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    List<JsonNode> requests = new ArrayList<>();
    if (batch) {
      req.path("requests").forEach(requests::add);
    } else {
      requests.add(req);
    }
    ObjectNode body = Call.object();
    ArrayNode embeddings = batch ? body.putArray("embeddings") : null;
    long chars = 0;
    int dims = -1;
    for (JsonNode one : requests) {
      String text = joinedText(one.path("content").path("parts"));
      chars += text.length();
      int d = dimensions(c, one);
      dims = dims < 0 ? d : dims;
      ObjectNode embedding = batch ? embeddings.addObject() : body.putObject("embedding");
      ArrayNode values = embedding.putArray("values");
      for (float f : Answers.vector(text, d)) {
        values.add(f);
      }
    }
    long tokens = Answers.promptTokens(chars);
    if (t.vertex) {
      ObjectNode usage = body.putObject("usageMetadata").put("promptTokenCount", tokens);
      usage.set("promptTokensDetails", details(tokens));
      body.put("truncated", false);
    }
    c.answer(JSON_TYPE, Call.utf8(GoogleJson.pretty(body)), MockLlmServer.Sent.builder(t.provider(), "embeddings",
        c.model, false).tokens(t.vertex ? tokens : -1, -1).dimensions(Math.max(dims, 0)));
  }

  /** Vertex's :predict for text-embedding models: one prediction per instance, with its token count. */
  private void predict(Call c, JsonNode req) throws IOException {
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    int asked = req.path("parameters").path("outputDimensionality").asInt(0);
    int dims = asked > 0 ? asked : 768;
    ObjectNode body = Call.object();
    ArrayNode predictions = body.putArray("predictions");
    long tokens = 0;
    long chars = 0;
    for (JsonNode instance : req.path("instances")) {
      String text = instance.path("content").asText("");
      long count = Answers.promptTokens(text.length());
      tokens += count;
      chars += text.length();
      ObjectNode embeddings = predictions.addObject().putObject("embeddings");
      embeddings.putObject("statistics").put("truncated", false).put("token_count", count);
      ArrayNode values = embeddings.putArray("values");
      for (float f : Answers.vector(text, dims)) {
        values.add(f);
      }
    }
    body.putObject("metadata").put("billableCharacterCount", chars);
    c.answer(JSON_TYPE, Call.utf8(GoogleJson.pretty(body)),
        MockLlmServer.Sent.builder("gcp.vertex_ai", "embeddings", c.model, false).tokens(tokens, -1).dimensions(dims));
  }

  private static String joinedText(JsonNode parts) {
    StringBuilder b = new StringBuilder();
    parts.forEach(p -> b.append(p.path("text").asText("")));
    return b.toString();
  }

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int code;
    String status;
    String text;
    switch (failure) {
      case NO_ENDPOINT:
        code = 404;
        status = "NOT_FOUND";
        text = "Method not found: " + c.method + " " + c.path;
        break;
      case BAD_REQUEST:
        code = 400;
        status = "INVALID_ARGUMENT";
        text = "Invalid JSON payload received.";
        break;
      case NO_MODEL:
        code = 404;
        status = "NOT_FOUND";
        text = "models/" + c.model + " is not found on the mock server.";
        break;
      case RATE_LIMIT:
        code = 429;
        status = "RESOURCE_EXHAUSTED";
        text = "Quota for " + c.model + " is used up on purpose; retry later.";
        break;
      case OVERLOADED:
        code = 503;
        status = "UNAVAILABLE";
        text = "The mock model is overloaded. Please try again later.";
        break;
      default:
        code = 500;
        status = "INTERNAL";
        text = "The mock server failed on purpose.";
    }
    ObjectNode body = Call.object();
    body.putObject("error").put("code", code).put("message", message != null ? message : text).put("status", status);
    c.send(code, JSON_TYPE, Call.utf8(GoogleJson.pretty(body)));
  }
}
