package io.tracelight.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The application the end-to-end runs measure, forked once per mode (no agent, Tracelight,
 * OpenTelemetry agent). Each case makes calls one after another on one thread, warms up, then
 * times every call; it prints one JSON line per case and one with the process's peak RSS.
 */
public final class Workload {
  /** The same system prompt as the JMH payloads; kept here so the workload needs no agent classes. */
  static final String SYSTEM_PROMPT = "You are a helpful assistant. ".repeat(12);

  private interface Call {
    /** Makes one call; returns the nanoTime when the app saw the first content, or 0. */
    long run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    byte[] plain = body(false);
    byte[] stream = body(true);
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    OkHttpClient okhttp = new OkHttpClient();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("sk-bench").maxRetries(0).build();
    URI uri = URI.create(base + "/chat/completions");
    MediaType json = MediaType.get("application/json");
    ChatCompletionCreateParams sdkParams = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage(SYSTEM_PROMPT).addUserMessage("What does a Java agent do?")
        .temperature(0.2).maxCompletionTokens(200L).build();
    ChatCompletionCreateParams sdkStream = sdkParams.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    measure("jdk-plain", warmup, calls, () -> {
      jdk.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(plain)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return 0;
    });
    measure("jdk-stream", warmup, calls, () -> {
      HttpResponse<InputStream> r = jdk.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(stream)).build(), HttpResponse.BodyHandlers.ofInputStream());
      return readLines(new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
    });
    measure("okhttp-plain", warmup, calls, () -> {
      try (Response r = okhttp.newCall(new Request.Builder().url(base + "/chat/completions")
          .post(RequestBody.create(plain, json)).build()).execute()) {
        r.body().string();
      }
      return 0;
    });
    measure("okhttp-stream", warmup, calls, () -> {
      try (Response r = okhttp.newCall(new Request.Builder().url(base + "/chat/completions")
          .post(RequestBody.create(stream, json)).build()).execute()) {
        BufferedSource source = r.body().source();
        long first = 0;
        String line;
        while ((line = source.readUtf8Line()) != null) {
          if (first == 0 && line.startsWith("data:")) {
            first = System.nanoTime();
          }
        }
        return first;
      }
    });
    org.apache.hc.client5.http.impl.classic.CloseableHttpClient apache =
        org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
    measure("apache5-plain", warmup, calls, () -> {
      apache.execute(apachePost(base, plain), r -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity()));
      return 0;
    });
    measure("apache5-stream", warmup, calls, () -> apache.execute(apachePost(base, stream),
        r -> readLines(new BufferedReader(new InputStreamReader(r.getEntity().getContent(), StandardCharsets.UTF_8)))));
    measure("urlconn-plain", warmup, calls, () -> {
      try (InputStream in = urlConnection(base, plain).getInputStream()) {
        in.readAllBytes();
      }
      return 0;
    });
    measure("urlconn-stream", warmup, calls, () -> {
      try (InputStream in = urlConnection(base, stream).getInputStream()) {
        return readLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      }
    });
    reactor.netty.http.client.HttpClient reactorClient = reactor.netty.http.client.HttpClient.create()
        .headers(h -> h.set("Content-Type", "application/json"));
    measure("reactor-plain", warmup, calls, () -> {
      reactorClient.post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromInbound(reactor.core.publisher.Mono.just(plain)))
          .responseSingle((r, content) -> content.asString()).block();
      return 0;
    });
    measure("reactor-stream", warmup, calls, () -> {
      long[] first = {0};
      reactorClient.post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromInbound(reactor.core.publisher.Mono.just(stream)))
          .responseContent().asString()
          .doOnNext(chunk -> {
            if (first[0] == 0 && chunk.contains("data:")) {
              first[0] = System.nanoTime();
            }
          })
          .blockLast();
      return first[0];
    });
    measure("sdk-plain", warmup, calls, () -> {
      sdk.chat().completions().create(sdkParams).choices().get(0).message().content();
      return 0;
    });
    measure("sdk-stream", warmup, calls, () -> {
      long first = 0;
      try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(sdkStream)) {
        Iterator<ChatCompletionChunk> chunks = s.stream().iterator();
        while (chunks.hasNext()) {
          chunks.next();
          if (first == 0) {
            first = System.nanoTime();
          }
        }
      }
      return first;
    });
    long retained = heapAfterPacedCalls(okhttp, base, json, plain);
    System.out.println("{\"rss_kb\":" + peakRssKb() + ",\"heap_after_paced_kb\":" + retained + "}");
    sdk.close();
    okhttp.dispatcher().executorService().shutdown();
    okhttp.connectionPool().evictAll();
  }

  /**
   * Calls at 1,000 per second for five seconds (OkHttp, plain), then collects garbage and returns
   * the heap still in use: compared across modes, what the agent retains at that rate.
   */
  private static org.apache.hc.client5.http.classic.methods.HttpPost apachePost(String base, byte[] body) {
    org.apache.hc.client5.http.classic.methods.HttpPost post =
        new org.apache.hc.client5.http.classic.methods.HttpPost(base + "/chat/completions");
    post.setEntity(new org.apache.hc.core5.http.io.entity.ByteArrayEntity(body,
        org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
    return post;
  }

  /** A POST whose body is written and sent; the caller reads the response (keep-alive reuses the socket). */
  private static java.net.HttpURLConnection urlConnection(String base, byte[] body) throws IOException {
    java.net.HttpURLConnection c =
        (java.net.HttpURLConnection) java.net.URI.create(base + "/chat/completions").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (java.io.OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    return c;
  }

  private static long heapAfterPacedCalls(OkHttpClient okhttp, String base, MediaType json, byte[] plain)
      throws Exception {
    long interval = 1_000_000; // 1 ms
    long next = System.nanoTime();
    for (int i = 0; i < 5_000; i++) {
      try (Response r = okhttp.newCall(new Request.Builder().url(base + "/chat/completions")
          .post(RequestBody.create(plain, json)).build()).execute()) {
        r.body().string();
      }
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
    Thread.sleep(500); // let the agent's pipeline drain
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
  }

  private static long readLines(BufferedReader reader) throws IOException {
    try (reader) {
      long first = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        if (first == 0 && line.startsWith("data:")) {
          first = System.nanoTime();
        }
      }
      return first;
    }
  }

  private static byte[] body(boolean stream) {
    return ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT
        + "\"},{\"role\":\"user\",\"content\":\"What does a Java agent do?\"}],\"temperature\":0.2,\"max_tokens\":200"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void measure(String name, int warmup, int calls, Call call) throws Exception {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] nanos = new long[calls];
    long[] firstChunk = new long[calls];
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    long begin = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      long first = call.run();
      nanos[i] = System.nanoTime() - start;
      firstChunk[i] = first == 0 ? 0 : first - start;
    }
    long elapsed = System.nanoTime() - begin;
    long cpu = threads.getCurrentThreadCpuTime() - cpuBefore; // the calling thread's own work, not its waits
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    Arrays.sort(nanos);
    Arrays.sort(firstChunk);
    System.out.println(String.format(Locale.ROOT,
        "{\"case\":\"%s\",\"median_us\":%.2f,\"p99_us\":%.2f,\"calls_per_s\":%.1f,\"alloc_bytes_per_call\":%d,"
            + "\"first_chunk_median_us\":%.2f,\"cpu_us_per_call\":%.2f}",
        name, nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0, calls / (elapsed / 1e9),
        allocated / calls, firstChunk[calls / 2] / 1000.0, cpu / 1000.0 / calls));
  }

  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }
}
