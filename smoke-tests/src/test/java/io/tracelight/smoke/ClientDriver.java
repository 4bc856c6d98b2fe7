package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The application the smoke tests run in a forked JVM, with and without the agent. It prints
 * only what the application itself observes (status, a hash of the bytes it got, exceptions), so
 * the two runs' outputs must be identical.
 */
public final class ClientDriver {
  static final String SYSTEM_PROMPT = "You are the smoke-test assistant. Keep answers short.";
  private static final MediaType JSON = MediaType.get("application/json");

  private final String base;
  private final HttpClient jdk = HttpClient.newHttpClient();
  private final OkHttpClient okhttp = new OkHttpClient();

  private ClientDriver(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    ClientDriver d = new ClientDriver(args[1]);
    switch (args[0]) {
      case "jdk-handlers":
        d.jdkHandlers();
        break;
      case "okhttp-reads":
        d.okhttpReads();
        break;
      case "faults":
        d.faults();
        break;
      case "concurrent":
        d.concurrent(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        break;
      case "openai-sdk":
        d.openAiSdk(args[2]);
        break;
      case "jdk-http2":
        d.jdkHttp2(args[2]);
        break;
      case "delete-output":
        d.deleteOutput(java.nio.file.Paths.get(args[2]));
        break;
      case "lifecycle":
        d.lifecycle();
        break;
      case "attach":
        d.attach(args[2]);
        break;
      case "unread":
        d.unread();
        break;
      case "exit-mid-stream":
        d.exitMidStream();
        break;
      case "apache5":
        d.apache5();
        break;
      case "apache4":
        d.apache4();
        break;
      case "url-connection":
        d.urlConnection();
        break;
      case "url-connection-https":
        d.urlConnectionHttps(args[2]);
        break;
      case "keep-only-stream":
        d.keepOnlyStream();
        break;
      case "request-bodies":
        d.requestBodies();
        break;
      case "big-request":
        d.bigRequest();
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
    d.okhttp.dispatcher().executorService().shutdown();
    d.okhttp.connectionPool().evictAll();
  }

  static String body(String model, boolean stream, boolean usage) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT
        + "\"},{\"role\":\"user\",\"content\":\"Say hello.\"}],\"temperature\":0.5"
        + (stream ? ",\"stream\":true" + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "") : "") + "}";
  }

  private HttpRequest jdkRequest(String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer sk-smoke-secret")
        .POST(HttpRequest.BodyPublishers.ofString(body(model, stream, true)))
        .build();
  }

  private Request okRequest(String model, boolean stream) {
    return new Request.Builder().url(base + "/chat/completions")
        .header("Authorization", "Bearer sk-smoke-secret")
        .post(RequestBody.create(body(model, stream, true), JSON)).build();
  }

  /** Every BodyHandler an app may use, sync and async, plain and streamed. */
  private void jdkHandlers() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      String tag = stream ? "stream" : "plain";
      HttpResponse<String> s = jdk.send(jdkRequest("handler-string", stream), HttpResponse.BodyHandlers.ofString());
      print("ofString " + tag, s.statusCode(), s.body().getBytes(StandardCharsets.UTF_8));
      HttpResponse<byte[]> b = jdk.send(jdkRequest("handler-bytes", stream), HttpResponse.BodyHandlers.ofByteArray());
      print("ofByteArray " + tag, b.statusCode(), b.body());
      HttpResponse<InputStream> in = jdk.send(jdkRequest("handler-inputstream", stream), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = in.body()) {
        print("ofInputStream " + tag, in.statusCode(), body.readAllBytes());
      }
      HttpResponse<java.util.stream.Stream<String>> lines =
          jdk.send(jdkRequest("handler-lines", stream), HttpResponse.BodyHandlers.ofLines());
      print("ofLines " + tag, lines.statusCode(),
          lines.body().collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
      HttpResponse<Flow.Publisher<List<ByteBuffer>>> pub =
          jdk.send(jdkRequest("handler-publisher", stream), HttpResponse.BodyHandlers.ofPublisher());
      print("ofPublisher " + tag, pub.statusCode(), drain(pub.body()));
      HttpResponse<String> async = jdk.sendAsync(jdkRequest("handler-async", stream), HttpResponse.BodyHandlers.ofString())
          .get(30, TimeUnit.SECONDS);
      print("sendAsync " + tag, async.statusCode(), async.body().getBytes(StandardCharsets.UTF_8));
    }
    // not an AI call: must pass untouched and produce no record
    HttpResponse<String> other = jdk.send(HttpRequest.newBuilder(URI.create(base + "/models")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    print("not-ai", other.statusCode(), other.body().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] drain(Flow.Publisher<List<ByteBuffer>> publisher) throws Exception {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<>() {
      final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
          byte[] chunk = new byte[b.remaining()];
          b.get(chunk);
          out.write(chunk, 0, chunk.length);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    return done.get(30, TimeUnit.SECONDS);
  }

  /** HTTP/2 over TLS: a plain and a streamed call, trusting the test server's certificate. */
  static javax.net.ssl.SSLContext trusting(String certificatePem) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Paths.get(certificatePem))) {
      trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  private void jdkHttp2(String certificatePem) throws Exception {
    javax.net.ssl.SSLContext tls = trusting(certificatePem);
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls).build();
    for (boolean stream : new boolean[] {false, true}) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body(stream ? "h2-stream" : "h2-plain", stream, true)))
          .build();
      HttpResponse<byte[]> r = h2.send(request, HttpResponse.BodyHandlers.ofByteArray());
      print(r.version() + (stream ? " stream" : " plain"), r.statusCode(), r.body());
    }
  }

  /** Every way OkHttp lets an app read a body, on execute and on enqueue. */
  private void okhttpReads() throws Exception {
    // read at run time: the constant would be inlined from the version compiled against
    System.out.println("okhttp " + okhttp3.OkHttp.class.getField("VERSION").get(null));
    for (boolean stream : new boolean[] {false, true}) {
      String tag = stream ? "stream" : "plain";
      try (Response r = okhttp.newCall(okRequest("read-string", stream)).execute()) {
        print("string " + tag, r.code(), r.body().string().getBytes(StandardCharsets.UTF_8));
      }
      try (Response r = okhttp.newCall(okRequest("read-bytes", stream)).execute()) {
        print("bytes " + tag, r.code(), r.body().bytes());
      }
      try (Response r = okhttp.newCall(okRequest("read-bytestream", stream)).execute()) {
        print("byteStream " + tag, r.code(), r.body().byteStream().readAllBytes());
      }
      try (Response r = okhttp.newCall(okRequest("read-source", stream)).execute()) {
        StringBuilder lines = new StringBuilder();
        String line;
        while ((line = r.body().source().readUtf8Line()) != null) {
          lines.append(line).append('\n');
        }
        print("source " + tag, r.code(), lines.toString().getBytes(StandardCharsets.UTF_8));
      }
      CompletableFuture<String> async = new CompletableFuture<>();
      okhttp.newCall(okRequest("read-enqueue", stream)).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          async.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            async.complete(response.code() + " " + sha256(response.body().bytes()));
          }
        }
      });
      System.out.println("enqueue " + tag + ": " + async.get(30, TimeUnit.SECONDS));
    }
  }

  /** Broken servers: the app must see exactly what the server did, agent or not. */
  private void faults() throws Exception {
    String[][] cases = {
        {"mock-error-500", "false"}, {"mock-malformed", "false"}, {"mock-empty", "false"},
        {"mock-non-utf8", "false"}, {"mock-big", "false"}, {"mock-truncated", "true"}, {"mock-reset", "true"}};
    for (String[] c : cases) {
      boolean stream = Boolean.parseBoolean(c[1]);
      try {
        HttpResponse<byte[]> r = jdk.send(jdkRequest(c[0], stream), HttpResponse.BodyHandlers.ofByteArray());
        print("jdk " + c[0], r.statusCode(), r.body());
      } catch (IOException e) {
        System.out.println("jdk " + c[0] + ": threw " + e.getClass().getName());
      }
      try (Response r = okhttp.newCall(okRequest(c[0], stream)).execute()) {
        print("okhttp " + c[0], r.code(), r.body().bytes());
      } catch (IOException e) {
        System.out.println("okhttp " + c[0] + ": threw " + e.getClass().getName());
      }
    }
  }

  /** Calls, then the agent's output file deleted under it, then more calls. */
  private void deleteOutput(java.nio.file.Path outputDir) throws Exception {
    int ok = 0;
    for (int i = 0; i < 10; i++) {
      if (i == 5) {
        Thread.sleep(500); // let the agent write the first five
        java.nio.file.Files.deleteIfExists(outputDir.resolve("calls.jsonl"));
      }
      HttpResponse<String> r = jdk.send(jdkRequest(i < 5 ? "before-delete" : "after-delete", false),
          HttpResponse.BodyHandlers.ofString());
      ok += r.statusCode() == 200 ? 1 : 0;
    }
    System.out.println("calls ok: " + ok);
  }

  /** A slow reader, an early close, cancelled async calls and an interrupted read. */
  private void lifecycle() throws Exception {
    // slow consumer of a slow stream
    Request slow = okRequest("slow-reader", true).newBuilder().header("x-mock-chunk-delay-ms", "10").build();
    try (Response r = okhttp.newCall(slow).execute()) {
      int lines = 0;
      while (r.body().source().readUtf8Line() != null) {
        lines++;
        Thread.sleep(5);
      }
      System.out.println("slow reader: " + r.code() + " " + lines + " lines");
    }
    // early close of a stream
    Request early = okRequest("early-close", true).newBuilder().header("x-mock-chunk-delay-ms", "50").build();
    try (Response r = okhttp.newCall(early).execute()) {
      System.out.println("early close: " + r.code() + " first line " + r.body().source().readUtf8Line().startsWith("data:"));
    }
    // cancelled JDK async call, the server holding its answer
    HttpRequest held = HttpRequest.newBuilder(jdkRequest("jdk-cancel", false), (n, v) -> true)
        .header("x-mock-delay-ms", "3000").build();
    CompletableFuture<HttpResponse<String>> pending = jdk.sendAsync(held, HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    System.out.println("jdk cancel: " + pending.cancel(true));
    // cancelled OkHttp async call
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Call call = okhttp.newCall(okRequest("okhttp-cancel", false).newBuilder().header("x-mock-delay-ms", "3000").build());
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        outcome.complete("failed " + e.getClass().getName());
      }

      @Override
      public void onResponse(Call c, Response response) {
        response.close();
        outcome.complete("answered");
      }
    });
    Thread.sleep(300);
    call.cancel();
    System.out.println("okhttp cancel: " + outcome.get(10, TimeUnit.SECONDS));
    // a reader interrupted while waiting for the next chunk
    Request stalled = okRequest("interrupted", true).newBuilder().header("x-mock-chunk-delay-ms", "500").build();
    Thread reader = new Thread(() -> {
      try (Response r = okhttp.newCall(stalled).execute()) {
        while (r.body().source().readUtf8Line() != null) {
          // wait for the interrupt
        }
        System.out.println("interrupted: read to the end");
      } catch (IOException e) {
        System.out.println("interrupted: " + e.getClass().getName());
      }
    });
    reader.start();
    Thread.sleep(700);
    reader.interrupt();
    reader.join(10_000);
    // the agent's threads once the work is done (stderr: the app's output must not change)
    Thread.sleep(1000);
    System.err.println("tracelight threads: " + Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).filter(n -> n.startsWith("tracelight-")).sorted().collect(Collectors.toList()));
  }

  /** Starts without the agent, attaches it to itself, then calls again with both clients. */
  /** Every client loaded and used, then the agent attached, then each used again. */
  private void attach(String agentJar) throws Exception {
    System.out.println("before: " + jdk.send(jdkRequest("before-attach", false), HttpResponse.BodyHandlers.ofString()).statusCode());
    org.apache.hc.client5.http.impl.classic.CloseableHttpClient apache =
        org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
    System.out.println("before apache: " + apache.execute(apachePost("before-attach", false),
        response -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(response.getEntity()).length > 0));
    java.net.HttpURLConnection before = post(base, "before-attach", false);
    send(before, "before-attach", false, true);
    System.out.println("before url-connection: " + before.getResponseCode() + " " + (before.getInputStream().readAllBytes().length > 0));
    String pid = String.valueOf(ProcessHandle.current().pid());
    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
    try {
      vm.loadAgent(agentJar);
    } finally {
      vm.detach();
    }
    System.out.println("after jdk: " + jdk.send(jdkRequest("after-attach-jdk", false), HttpResponse.BodyHandlers.ofString()).statusCode());
    OkHttpClient fresh = new OkHttpClient();
    try (Response r = fresh.newCall(okRequest("after-attach-okhttp", true)).execute()) {
      System.out.println("after okhttp: " + r.code() + " " + r.body().string().length());
    }
    fresh.dispatcher().executorService().shutdown();
    System.out.println("after apache: " + apache.execute(apachePost("after-attach-apache", true),
        response -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(response.getEntity()).length > 0));
    apache.close();
    java.net.HttpURLConnection after = post(base, "after-attach-url-connection", true);
    send(after, "after-attach-url-connection", true, true);
    System.out.println("after url-connection: " + after.getResponseCode() + " " + (after.getInputStream().readAllBytes().length > 0));
  }

  /** Apache HttpClient 5 classic: execute and read, a response handler, executeOpen with a stream read. */
  private void apache5() throws Exception {
    try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
        org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
      for (boolean stream : new boolean[] {false, true}) {
        String tag = stream ? "stream" : "plain";
        try (org.apache.hc.client5.http.impl.classic.CloseableHttpResponse r = client.execute(apachePost("apache-execute", stream))) {
          print("execute " + tag, r.getCode(), org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity()));
        }
        String handled = client.execute(apachePost("apache-handler", stream),
            response -> org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity()));
        print("handler " + tag, 200, handled.getBytes(StandardCharsets.UTF_8));
        try (org.apache.hc.core5.http.ClassicHttpResponse r = client.executeOpen(null, apachePost("apache-open", stream), null);
            InputStream in = r.getEntity().getContent()) {
          print("executeOpen " + tag, r.getCode(), in.readAllBytes());
        }
      }
      // not an AI call
      try (org.apache.hc.client5.http.impl.classic.CloseableHttpResponse r =
          client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(base + "/models"))) {
        print("not-ai", r.getCode(), org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity()));
      }
    }
  }

  /** Apache HttpClient 4.5: execute and read, a response handler, the deprecated DefaultHttpClient. */
  @SuppressWarnings("deprecation")
  private void apache4() throws Exception {
    try (org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault();
        org.apache.http.impl.client.CloseableHttpClient old = new org.apache.http.impl.client.DefaultHttpClient()) {
      for (boolean stream : new boolean[] {false, true}) {
        String tag = stream ? "stream" : "plain";
        try (org.apache.http.client.methods.CloseableHttpResponse r = client.execute(apache4Post("apache4-execute", stream))) {
          print("execute " + tag, r.getStatusLine().getStatusCode(), org.apache.http.util.EntityUtils.toByteArray(r.getEntity()));
        }
        String handled = client.execute(apache4Post("apache4-handler", stream),
            new org.apache.http.impl.client.BasicResponseHandler());
        print("handler " + tag, 200, handled.getBytes(StandardCharsets.UTF_8));
        try (org.apache.http.client.methods.CloseableHttpResponse r = old.execute(apache4Post("apache4-default-client", stream));
            InputStream in = r.getEntity().getContent()) {
          print("DefaultHttpClient " + tag, r.getStatusLine().getStatusCode(), in.readAllBytes());
        }
      }
      try (org.apache.http.client.methods.CloseableHttpResponse r =
          client.execute(new org.apache.http.client.methods.HttpGet(base + "/models"))) {
        print("not-ai", r.getStatusLine().getStatusCode(), org.apache.http.util.EntityUtils.toByteArray(r.getEntity()));
      }
    }
  }

  private org.apache.http.client.methods.HttpPost apache4Post(String model, boolean stream) {
    org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(base + "/chat/completions");
    post.setHeader("Authorization", "Bearer sk-smoke-secret");
    post.setEntity(new org.apache.http.entity.StringEntity(body(model, stream, true),
        org.apache.http.entity.ContentType.APPLICATION_JSON));
    return post;
  }

  /**
   * {@code HttpURLConnection} as apps use it: response code first or not, headers first, body
   * closed or not, fixed-length and chunked streaming modes, an error body read from the error
   * stream, an error left unread and disconnected, and a GET that is no AI call.
   */
  private void urlConnection() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      String tag = stream ? "stream" : "plain";
      java.net.HttpURLConnection c = post(base, "urlc-code-first", stream);
      send(c, "urlc-code-first", stream, true);
      int code = c.getResponseCode();
      try (InputStream in = c.getInputStream()) {
        print("code first " + tag, code, in.readAllBytes());
      }
      c.disconnect();

      c = post(base, "urlc-unclosed-output", stream);
      send(c, "urlc-unclosed-output", stream, false);
      print("unclosed output " + tag, 200, c.getInputStream().readAllBytes());

      c = post(base, "urlc-headers-first", stream);
      send(c, "urlc-headers-first", stream, true);
      String type = c.getHeaderField("Content-Type");
      StringBuilder lines = new StringBuilder();
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.append(line).append('\n');
        }
      }
      print("headers first " + tag + " " + type, c.getResponseCode(), lines.toString().getBytes(StandardCharsets.UTF_8));

      c = post(base, "urlc-fixed-length", stream);
      byte[] body = body("urlc-fixed-length", stream, true).getBytes(StandardCharsets.UTF_8);
      c.setFixedLengthStreamingMode(body.length);
      try (java.io.OutputStream out = c.getOutputStream()) {
        out.write(body, 0, 10);
        out.write(body, 10, body.length - 10);
      }
      print("fixed length " + tag, c.getResponseCode(), c.getInputStream().readAllBytes());

      c = post(base, "urlc-chunked", stream);
      c.setChunkedStreamingMode(16);
      send(c, "urlc-chunked", stream, true);
      print("chunked " + tag, c.getResponseCode(), c.getInputStream().readAllBytes());
    }
    // an error status: getInputStream throws, the body is on the error stream
    java.net.HttpURLConnection c = post(base, "mock-error-500", false);
    send(c, "mock-error-500", false, true);
    try {
      c.getInputStream();
    } catch (IOException e) {
      System.out.println("error: threw " + e.getClass().getName());
    }
    try (InputStream err = c.getErrorStream()) {
      print("error stream", c.getResponseCode(), err.readAllBytes());
    }
    // an error the app does not read, then disconnects
    c = post(base, "mock-error-500", false);
    c.setRequestProperty("x-tracelight-smoke", "unread-error");
    send(c, "mock-error-500", false, true);
    System.out.println("unread error: " + c.getResponseCode());
    c.disconnect();
    // not an AI call
    java.net.HttpURLConnection get = (java.net.HttpURLConnection) new java.net.URL(base + "/models").openConnection();
    int code = get.getResponseCode();
    print("not-ai", code, (code < 400 ? get.getInputStream() : get.getErrorStream()).readAllBytes());
  }

  /** HttpsURLConnection, plain and streamed, trusting the test's certificate. */
  private void urlConnectionHttps(String certificatePem) throws Exception {
    javax.net.ssl.SSLContext tls = trusting(certificatePem);
    for (boolean stream : new boolean[] {false, true}) {
      String model = stream ? "urlc-https-stream" : "urlc-https-plain";
      javax.net.ssl.HttpsURLConnection c = (javax.net.ssl.HttpsURLConnection) post(base, model, stream);
      c.setSSLSocketFactory(tls.getSocketFactory());
      send(c, model, stream, true);
      try (InputStream in = c.getInputStream()) {
        print("https " + (stream ? "stream" : "plain"), c.getResponseCode(), in.readAllBytes());
      }
    }
  }

  private static java.net.HttpURLConnection post(String base, String model, boolean stream) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(base + "/chat/completions").openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("Authorization", "Bearer sk-smoke-secret");
    return c;
  }

  private static void send(java.net.HttpURLConnection c, String model, boolean stream, boolean close) throws IOException {
    java.io.OutputStream out = c.getOutputStream();
    out.write(body(model, stream, true).getBytes(StandardCharsets.UTF_8));
    if (close) {
      out.close();
    }
  }

  private org.apache.hc.client5.http.classic.methods.HttpPost apachePost(String model, boolean stream) {
    org.apache.hc.client5.http.classic.methods.HttpPost post =
        new org.apache.hc.client5.http.classic.methods.HttpPost(base + "/chat/completions");
    post.setHeader("Authorization", "Bearer sk-smoke-secret");
    post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body(model, stream, true),
        org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
    return post;
  }

  /**
   * An app that keeps only the body's stream (OkHttp's {@code byteStream()}, {@code source()}) and
   * drops the response, reading slowly while the garbage collector runs: not an abandoned call.
   */
  private void keepOnlyStream() throws Exception {
    Request slow = okRequest("kept-stream", true).newBuilder().header("x-mock-chunk-delay-ms", "20").build();
    InputStream in = okhttp.newCall(slow).execute().body().byteStream();
    okio.BufferedSource source = okhttp.newCall(okRequest("kept-source", true).newBuilder()
        .header("x-mock-chunk-delay-ms", "20").build()).execute().body().source();
    java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[64];
    int n;
    while ((n = in.read(buffer)) != -1) {
      a.write(buffer, 0, n);
      System.gc();
    }
    while (!source.exhausted()) {
      b.write(source.readByteArray(Math.min(64, source.buffer().size() == 0 ? 1 : source.buffer().size())));
      System.gc();
    }
    in.close();
    source.close();
    print("byteStream kept", 200, a.toByteArray());
    print("source kept", 200, b.toByteArray());
  }

  /** Every kind of request body, each sent once: the record must still have the request's fields. */
  private void requestBodies() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tracelight-body", ".json");
    java.nio.file.Files.writeString(file, body("body-jdk-file", false, false));
    Map<String, HttpRequest.BodyPublisher> jdkBodies = new java.util.LinkedHashMap<>();
    jdkBodies.put("ofFile", HttpRequest.BodyPublishers.ofFile(file));
    jdkBodies.put("ofInputStream", HttpRequest.BodyPublishers.ofInputStream(
        () -> new java.io.ByteArrayInputStream(body("body-jdk-inputstream", false, false).getBytes(StandardCharsets.UTF_8))));
    jdkBodies.put("fromPublisher", HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofString(body("body-jdk-frompublisher", false, false))));
    jdkBodies.put("ofByteArrays", HttpRequest.BodyPublishers.ofByteArrays(pieces(body("body-jdk-bytearrays", false, false), 7)));
    jdkBodies.put("custom", new ChunkedPublisher(body("body-jdk-custom", false, false), 5));
    for (Map.Entry<String, HttpRequest.BodyPublisher> e : jdkBodies.entrySet()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
          .header("Content-Type", "application/json").POST(e.getValue()).build();
      HttpResponse<String> r = jdk.send(request, HttpResponse.BodyHandlers.ofString());
      print("jdk " + e.getKey(), r.statusCode(), r.body().getBytes(StandardCharsets.UTF_8));
    }
    java.nio.file.Files.delete(file);

    Map<String, RequestBody> okBodies = new java.util.LinkedHashMap<>();
    okBodies.put("oneShot", new StreamingBody(body("body-ok-oneshot", false, false), true));
    okBodies.put("unknownLength", new StreamingBody(body("body-ok-unknown-length", false, false), false));
    okBodies.put("bytes", RequestBody.create(body("body-ok-bytes", false, false).getBytes(StandardCharsets.UTF_8), JSON));
    okBodies.put("closesSink", new SinkClosingBody(body("body-ok-closes-sink", false, false)));
    for (Map.Entry<String, RequestBody> e : okBodies.entrySet()) {
      try (Response r = okhttp.newCall(new Request.Builder().url(base + "/chat/completions").post(e.getValue()).build())
          .execute()) {
        print("okhttp " + e.getKey(), r.code(), r.body().bytes());
      }
    }
  }

  /** A request body over the agent's cap: the record keeps what its first part says. */
  private void bigRequest() throws Exception {
    String filler = "x".repeat(20_000);
    String big = "{\"model\":\"big-request\",\"temperature\":0.5,\"messages\":[{\"role\":\"system\",\"content\":\""
        + SYSTEM_PROMPT + "\"},{\"role\":\"user\",\"content\":\"" + filler + "\"}]}";
    HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
    print("jdk big", r.statusCode(), r.body().getBytes(StandardCharsets.UTF_8));
    try (Response o = okhttp.newCall(new Request.Builder().url(base + "/chat/completions")
        .post(RequestBody.create(big, JSON)).build()).execute()) {
      print("okhttp big", o.code(), o.body().bytes());
    }
  }

  private static List<byte[]> pieces(String text, int size) {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < all.length; i += size) {
      out.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + size)));
    }
    return out;
  }

  /** A publisher of the app's own: the body in small buffers, length unknown. */
  private static final class ChunkedPublisher implements HttpRequest.BodyPublisher {
    private final List<byte[]> chunks;

    ChunkedPublisher(String text, int size) {
      this.chunks = pieces(text, size);
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      java.util.concurrent.SubmissionPublisher<ByteBuffer> publisher = new java.util.concurrent.SubmissionPublisher<>();
      publisher.subscribe(subscriber);
      for (byte[] c : chunks) {
        publisher.submit(ByteBuffer.wrap(c));
      }
      publisher.close();
    }
  }

  /** An OkHttp body written straight to the socket in pieces, of unknown length, maybe one-shot. */
  private static final class StreamingBody extends RequestBody {
    private final String text;
    private final boolean oneShot;

    StreamingBody(String text, boolean oneShot) {
      this.text = text;
      this.oneShot = oneShot;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public boolean isOneShot() {
      return oneShot;
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      for (byte[] piece : pieces(text, 9)) {
        sink.write(piece);
        sink.flush();
      }
    }
  }

  /** A body that closes the sink it writes to, as a gzip or Jackson writer does. */
  private static final class SinkClosingBody extends RequestBody {
    private final String text;

    SinkClosingBody(String text) {
      this.text = text;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      try (java.io.OutputStream out = sink.outputStream()) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** Responses the app never reads or closes: the records must still end. */
  private void unread() throws Exception {
    HttpRequest slowStream = HttpRequest.newBuilder(jdkRequest("unread-jdk", true), (name, value) -> true)
        .header("x-mock-chunk-delay-ms", "100").build();
    HttpResponse<InputStream> jdkResponse = jdk.send(slowStream, HttpResponse.BodyHandlers.ofInputStream());
    System.out.println("jdk status " + jdkResponse.statusCode());
    jdkResponse.body().close(); // closed without reading
    Response ok = okhttp.newCall(okRequest("unread-okhttp", false)).execute();
    System.out.println("okhttp status " + ok.code());
    ok = null; // dropped without reading or closing
    java.net.HttpURLConnection c = post(base, "unread-url-connection", false);
    send(c, "unread-url-connection", false, true);
    System.out.println("url-connection status " + c.getResponseCode());
    c = null; // dropped without reading or disconnecting
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }

  /** A slow stream still being read when main returns: the JVM exits before its end comes. */
  private void exitMidStream() throws Exception {
    HttpRequest slowStream = HttpRequest.newBuilder(jdkRequest("exit-mid-stream", true), (name, value) -> true)
        .header("x-mock-chunk-delay-ms", "500").build();
    HttpResponse<InputStream> r = jdk.send(slowStream, HttpResponse.BodyHandlers.ofInputStream());
    heldAtExit = r.body();
    System.out.println("first byte " + (char) heldAtExit.read());
  }

  /** Held, so the stream is not dropped (which would end its call) before the JVM exits. */
  static InputStream heldAtExit;

  /** Threads calling at once, each call on one of four clients in turn. */
  private void concurrent(int threads, int callsPerThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger ok = new AtomicInteger();
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    org.apache.hc.client5.http.impl.classic.CloseableHttpClient apache =
        org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(
            org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(threads).setMaxConnTotal(threads).build()).build();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < callsPerThread; i++) {
          boolean stream = i % 2 == 1;
          try {
            int status;
            switch ((thread + i) % 4) {
              case 0:
                status = jdk.send(jdkRequest("concurrent", stream), HttpResponse.BodyHandlers.ofString()).statusCode();
                break;
              case 1:
                try (Response r = okhttp.newCall(okRequest("concurrent", stream)).execute()) {
                  r.body().string();
                  status = r.code();
                }
                break;
              case 2:
                status = apache.execute(apachePost("concurrent", stream), response -> {
                  org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(response.getEntity());
                  return response.getCode();
                });
                break;
              default:
                java.net.HttpURLConnection c = post(base, "concurrent", stream);
                send(c, "concurrent", stream, true);
                try (InputStream in = c.getInputStream()) {
                  in.readAllBytes();
                }
                status = c.getResponseCode();
            }
            if (status == 200) {
              ok.incrementAndGet();
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : futures) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    apache.close();
    System.out.println("calls ok: " + ok.get());
  }

  /** The official OpenAI Java SDK (over OkHttp), plain and streamed. */
  private void openAiSdk(String delayMillis) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("sk-smoke-secret").build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addSystemMessage(SYSTEM_PROMPT)
        .addUserMessage("Say hello.")
        .temperature(0.5)
        .maxCompletionTokens(100L)
        .putAdditionalHeader("x-mock-delay-ms", delayMillis)
        .build();
    ChatCompletion completion = client.chat().completions().create(params);
    System.out.println("sdk plain: " + completion.choices().get(0).message().content().orElse(""));

    ChatCompletionCreateParams streamParams = params.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamParams)) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    System.out.println("sdk stream: " + text);
    client.close();
  }

  private static void print(String what, int status, byte[] body) {
    System.out.println(what + ": " + status + " " + body.length + " bytes sha256=" + sha256(body));
  }

  static String sha256(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder sb = new StringBuilder();
      for (byte x : d) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
