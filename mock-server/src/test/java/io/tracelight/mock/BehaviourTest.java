package io.tracelight.mock;

import static io.tracelight.mock.Wire.frames;
import static io.tracelight.mock.Wire.post;
import static io.tracelight.mock.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What holds on every protocol: reproducible bytes, the misbehaving models, the delays, the command line. */
class BehaviourTest {
  /** One request per protocol and form: path and body. */
  private static final String[][] REQUESTS = {
      {"/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"/v1/responses", "{\"model\":\"m\",\"stream\":true,\"input\":\"hi\"}"},
      {"/v1/embeddings", "{\"model\":\"m\",\"input\":\"hi\",\"encoding_format\":\"base64\"}"},
      {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":true}"},
      {"/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"/v1beta/models/m:streamGenerateContent?alt=sse", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"},
      {"/v1beta/models/m:streamGenerateContent", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"},
      {"/api/chat", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"/api/embed", "{\"model\":\"m\",\"input\":\"hi\"}"},
      {"/model/m/converse-stream", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"},
      {"/model/meta.llama3-8b-instruct-v1:0/invoke-with-response-stream", "{\"prompt\":\"hi\"}"},
      {"/v1/chat/completions", "{\"model\":\"mock-tools\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"/v1/messages", "{\"model\":\"mock-tools\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
  };

  private static List<byte[]> run() throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    try (MockLlmServer s = MockLlmServer.start(0)) {
      for (String[] r : REQUESTS) {
        HttpResponse<byte[]> response = post(s, r[0], r[1]);
        assertEquals(200, response.statusCode(), r[0]);
        bodies.add(response.body());
      }
      assertEquals(REQUESTS.length, s.sent().size());
    }
    return bodies;
  }

  @Test
  void twoFreshServersAnswerWithIdenticalBytes() throws Exception {
    List<byte[]> first = run();
    List<byte[]> second = run();
    for (int i = 0; i < REQUESTS.length; i++) {
      assertArrayEquals(first.get(i), second.get(i), REQUESTS[i][0]);
    }
  }

  @Test
  void cutStreamsOnEveryProtocol() throws Exception {
    try (MockLlmServer s = MockLlmServer.start(0)) {
      String anthropic = text(post(s, "/v1/messages", "{\"model\":\"mock-truncated\",\"stream\":true,\"messages\":[]}"));
      assertFalse(anthropic.contains("message_stop"));
      assertEquals(2, anthropic.split("content_block_delta\n").length - 1, "two pieces, then the end");
      String ollama = text(post(s, "/api/generate", "{\"model\":\"mock-truncated\",\"prompt\":\"x\"}"));
      assertEquals(2, ollama.split("\n").length);
      String gemini = text(post(s, "/v1beta/models/mock-truncated:streamGenerateContent", "{\"contents\":[]}"));
      assertTrue(gemini.startsWith("[") && !gemini.endsWith("]"));
      List<Wire.Frame> frames = frames(post(s, "/model/mock-truncated/converse-stream", "{\"messages\":[]}").body());
      assertEquals("contentBlockDelta", frames.get(frames.size() - 1).header(":event-type"));
      assertThrows(UncheckedIOException.class,
          () -> post(s, "/model/mock-reset/converse-stream", "{\"messages\":[]}"), "the connection is dropped");
      assertThrows(UncheckedIOException.class,
          () -> post(s, "/v1/messages", "{\"model\":\"mock-reset\",\"stream\":true,\"messages\":[]}"));
      assertTrue(s.sent().isEmpty(), "a cut stream is not an answer");
      // the same models answer normally without a stream
      assertEquals(200, post(s, "/api/generate", "{\"model\":\"mock-truncated\",\"prompt\":\"x\",\"stream\":false}").statusCode());
      assertEquals(1, s.sent().size());
    }
  }

  @Test
  void brokenBodiesOnEveryProtocol() throws Exception {
    try (MockLlmServer s = MockLlmServer.start(0)) {
      String[][] paths = {
          {"/v1/messages", "{\"model\":\"%s\",\"messages\":[]}"},
          {"/v1beta/models/%s:generateContent", "{\"contents\":[]}"},
          {"/api/chat", "{\"model\":\"%s\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"},
          {"/model/%s/converse", "{\"messages\":[]}"},
          {"/v1/responses", "{\"model\":\"%s\",\"input\":\"x\"}"},
      };
      for (String[] p : paths) {
        String path = p[0].contains("%s") ? String.format(p[0], "mock-malformed") : p[0];
        String cut = text(post(s, path, String.format(p[1], "mock-malformed")));
        assertTrue(cut.startsWith("{") && cut.length() > 10, path);
        assertThrows(UncheckedIOException.class, () -> Wire.json(cut), "cut JSON: " + path);
        path = p[0].contains("%s") ? String.format(p[0], "mock-empty") : p[0];
        HttpResponse<byte[]> empty = post(s, path, String.format(p[1], "mock-empty"));
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length, path);
        path = p[0].contains("%s") ? String.format(p[0], "mock-non-utf8") : p[0];
        byte[] bytes = post(s, path, String.format(p[1], "mock-non-utf8")).body();
        assertThrows(CharacterCodingException.class,
            () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)));
      }
      assertTrue(s.sent().isEmpty());
    }
  }

  @Test
  void delaysApplyBeforeTheFirstByteAndBetweenPieces() throws Exception {
    try (MockLlmServer s = MockLlmServer.start(0)) {
      long start = System.nanoTime();
      post(s, "/api/chat", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "x-mock-delay-ms", "150");
      assertTrue(System.nanoTime() - start >= 150_000_000L);
      start = System.nanoTime();
      post(s, "/v1/messages", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}", "x-mock-chunk-delay-ms", "10");
      int pieces = Answers.pieces(MockLlmServer.answer("m", 0)).size();
      assertTrue(System.nanoTime() - start >= (pieces - 1) * 10_000_000L);
    }
  }

  @Test
  void aDriftingModelChangesAfterItsFirstCalls() throws Exception {
    try (MockLlmServer s = MockLlmServer.start(0)) {
      String body = "{\"model\":\"mock-drift-3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      String ordinary = MockLlmServer.answer("mock-drift-3", 1);
      List<String> answers = new ArrayList<>();
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 13; i++) {
        long start = System.nanoTime();
        answers.add(Wire.json(text(post(s, "/v1/chat/completions", body))).path("choices").get(0).path("message")
            .path("content").asText());
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(ordinary, answers.get(i));
        assertTrue(millis.get(i) >= 30, millis.toString());
      }
      for (int i = 3; i < 13; i++) { // drifted calls 1 to 10: the 1st, 4th and 7th refuse
        int k = (i - 2) % 10;
        assertEquals(k == 1 || k == 4 || k == 7 ? Answers.SORRY : ordinary + " " + ordinary + " " + ordinary,
            answers.get(i), "drifted call " + (i - 2));
        assertTrue(millis.get(i) >= 90, millis.toString());
      }
      assertEquals(Special.DRIFT, Special.of("us.meta.mock-drift-100:0"));
      assertEquals(Special.NONE, Special.of("mock-drift-x"));
    }
  }

  @Test
  void modelNamesMayCarryProviderDecorations() {
    assertEquals(Special.TOOLS, Special.of("mock-tools"));
    assertEquals(Special.TOOLS, Special.of("mock-tools:latest"));
    assertEquals(Special.TOOLS, Special.of("us.anthropic.mock-tools:0"));
    assertEquals(Special.TOOLS, Special.of("models/mock-tools"));
    assertEquals(Special.NO_SUCH_MODEL, Special.of("gpt-no-such-model"));
    assertEquals(Special.NONE, Special.of("gpt-4o-mini"));
    assertEquals(Special.NONE, Special.of("mock-toolsy"));
    assertEquals("us.anthropic.claude:0", BedrockHandler.percentDecode("us.anthropic.claude%3A0"));
    assertEquals(BedrockInvoke.Family.LLAMA,
        BedrockInvoke.family("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0", Wire.json("{}")));
    assertEquals(BedrockInvoke.Family.NOVA, BedrockInvoke.family("apac.amazon.nova-micro-v1:0", Wire.json("{}")));
  }

  @Test
  void bannerAndHelpNameEveryProvider() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cli.banner(new PrintStream(out, true, StandardCharsets.UTF_8), 8089);
    String banner = out.toString(StandardCharsets.UTF_8);
    for (String s : new String[] {"OpenAI", "Anthropic", "Gemini", "Ollama", "Bedrock", "http://127.0.0.1:8089/v1beta"}) {
      assertTrue(banner.contains(s), banner);
    }
    out.reset();
    Cli.help(new PrintStream(out, true, StandardCharsets.UTF_8));
    String help = out.toString(StandardCharsets.UTF_8);
    for (Special s : Special.values()) {
      assertTrue(s.model == null || help.contains(s.model), s.model);
    }
  }
}
