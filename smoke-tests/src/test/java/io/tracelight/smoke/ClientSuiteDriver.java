package io.tracelight.smoke;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The shared client-level suite: the same scenarios, in the same order, on one client per JVM
 * ({@code args[0]}), the way the app would write each with that client. Prints only what the app
 * observes. Scenarios (by the model each request names): {@code suite-plain}, {@code suite-stream},
 * {@code mock-error-500}, {@code mock-big} (50 MB), {@code suite-stopped} (a slow stream the app
 * stops after its first bytes), {@code suite-abandoned} (a response dropped unread, where the client
 * has one), {@code suite-threads} (32 threads at once), and a GET that is no AI call.
 */
public final class ClientSuiteDriver {
  static final int THREADS = 32;

  /** One client as the suite drives it. */
  interface SuiteClient {
    /** A whole call: status and body as the app reads them. */
    Answer call(String base, String model, boolean stream) throws Exception;

    /** A slow stream the app stops after its first bytes, as this client lets it stop. */
    void stopAfterFirstBytes(String base, String model) throws Exception;

    /** Drops a response unread and unclosed; false when the client has no response to drop. */
    boolean abandon(String base, String model) throws Exception;

    /** A GET that is no AI call: its status. */
    int notAi(String base) throws Exception;
  }

  static final class Answer {
    final int status;
    final byte[] body;

    Answer(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }
  }

  /** A sync client: a call opened to its status and body stream, closed by the app. */
  abstract static class StreamClient implements SuiteClient {
    abstract Opened open(String base, String model, boolean stream, boolean slow) throws Exception;

    @Override
    public Answer call(String base, String model, boolean stream) throws Exception {
      Opened o = open(base, model, stream, false);
      try (Closeable c = o.close; InputStream in = o.body) {
        return new Answer(o.status, in == null ? new byte[0] : in.readAllBytes());
      }
    }

    @Override
    public void stopAfterFirstBytes(String base, String model) throws Exception {
      Opened o = open(base, model, true, true);
      try (Closeable c = o.close; InputStream in = o.body) {
        in.read(new byte[16]);
      }
    }

    @Override
    public boolean abandon(String base, String model) throws Exception {
      open(base, model, false, false); // neither read nor closed, and dropped
      return true;
    }
  }

  static final class Opened {
    final int status;
    final InputStream body;
    final Closeable close;

    Opened(int status, InputStream body, Closeable close) {
      this.status = status;
      this.body = body;
      this.close = close;
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[1];
    SuiteClient client = client(args[0]);
    print("plain", client.call(base, "suite-plain", false));
    print("stream", client.call(base, "suite-stream", true));
    print("error", client.call(base, "mock-error-500", false));
    print("huge", client.call(base, "mock-big", false));
    client.stopAfterFirstBytes(base, "suite-stopped");
    System.out.println("stopped");
    if (client.abandon(base, "suite-abandoned")) {
      for (int i = 0; i < 20; i++) { // let the collector find the dropped response
        System.gc();
        Thread.sleep(50);
      }
      System.out.println("abandoned");
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<Answer>> calls = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      boolean stream = i % 2 == 1;
      calls.add(pool.submit(() -> client.call(base, "suite-threads", stream)));
    }
    int ok = 0;
    for (Future<Answer> f : calls) {
      ok += f.get(60, TimeUnit.SECONDS).status == 200 ? 1 : 0;
    }
    pool.shutdown();
    System.out.println("threads ok: " + ok);
    System.out.println("not-ai: " + client.notAi(base));
    System.exit(0); // clients' idle threads would keep the JVM alive a while
  }

  /** Says so when the agent left a header on the application's own request object (it must not). */
  private static void leftOn(boolean traceparent) {
    if (traceparent) {
      System.out.println("a traceparent was left on the app's request");
    }
  }

  private static void print(String what, Answer a) {
    System.out.println(what + ": " + a.status + " " + a.body.length + " bytes sha256=" + ClientDriver.sha256(a.body));
  }

  static SuiteClient client(String name) {
    switch (name) {
      case "jdk":
        return new Jdk();
      case "okhttp":
        return new OkHttp();
      case "apache4":
        return new Apache4();
      case "apache5":
        return new Apache5();
      case "url-connection":
        return new UrlConnection();
      case "reactor":
        return new Reactor();
      case "apache5-async":
        return new Apache5Async();
      case "vertx":
        return new Vertx();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static String delay(boolean slow) {
    return slow ? "50" : "0";
  }

  static final class Jdk extends StreamClient {
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    Opened open(String base, String model, boolean stream, boolean slow) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
          .header("Content-Type", "application/json").header("x-mock-chunk-delay-ms", delay(slow))
          .POST(HttpRequest.BodyPublishers.ofString(ClientDriver.body(model, stream, true))).build();
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      return new Opened(r.statusCode(), r.body(), r.body());
    }

    @Override
    public int notAi(String base) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(base + "/models")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  static final class OkHttp extends StreamClient {
    private final okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();

    @Override
    Opened open(String base, String model, boolean stream, boolean slow) throws Exception {
      okhttp3.Response r = http.newCall(new okhttp3.Request.Builder().url(base + "/chat/completions")
          .header("x-mock-chunk-delay-ms", delay(slow))
          .post(okhttp3.RequestBody.create(ClientDriver.body(model, stream, true),
              okhttp3.MediaType.get("application/json"))).build()).execute();
      return new Opened(r.code(), r.body().byteStream(), r);
    }

    @Override
    public int notAi(String base) throws Exception {
      try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder().url(base + "/models").build()).execute()) {
        return r.code();
      }
    }
  }

  static final class Apache5 extends StreamClient {
    private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient http =
        org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(
            org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(THREADS * 2).setMaxConnPerRoute(THREADS * 2).build()).build();

    @Override
    Opened open(String base, String model, boolean stream, boolean slow) throws Exception {
      org.apache.hc.client5.http.classic.methods.HttpPost post =
          new org.apache.hc.client5.http.classic.methods.HttpPost(base + "/chat/completions");
      post.setHeader("x-mock-chunk-delay-ms", delay(slow));
      post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(ClientDriver.body(model, stream, true),
          org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
      org.apache.hc.core5.http.ClassicHttpResponse r = http.executeOpen(null, post, null);
      leftOn(post.containsHeader("traceparent"));
      return new Opened(r.getCode(), r.getEntity() == null ? null : r.getEntity().getContent(), r);
    }

    @Override
    public int notAi(String base) throws Exception {
      return http.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(base + "/models"),
          org.apache.hc.core5.http.HttpResponse::getCode);
    }
  }

  static final class Apache4 extends StreamClient {
    private final org.apache.http.impl.client.CloseableHttpClient http =
        org.apache.http.impl.client.HttpClients.custom().setMaxConnTotal(THREADS * 2).setMaxConnPerRoute(THREADS * 2)
            .build();

    @Override
    Opened open(String base, String model, boolean stream, boolean slow) throws Exception {
      org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(base + "/chat/completions");
      post.setHeader("x-mock-chunk-delay-ms", delay(slow));
      post.setEntity(new org.apache.http.entity.StringEntity(ClientDriver.body(model, stream, true),
          org.apache.http.entity.ContentType.APPLICATION_JSON));
      org.apache.http.client.methods.CloseableHttpResponse r = http.execute(post);
      leftOn(post.containsHeader("traceparent"));
      return new Opened(r.getStatusLine().getStatusCode(), r.getEntity() == null ? null : r.getEntity().getContent(), r);
    }

    @Override
    public int notAi(String base) throws Exception {
      try (org.apache.http.client.methods.CloseableHttpResponse r =
          http.execute(new org.apache.http.client.methods.HttpGet(base + "/models"))) {
        return r.getStatusLine().getStatusCode();
      }
    }
  }

  static final class UrlConnection extends StreamClient {
    @Override
    Opened open(String base, String model, boolean stream, boolean slow) throws Exception {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) new java.net.URL(base + "/chat/completions").openConnection();
      c.setDoOutput(true); // no setRequestMethod: the JDK turns the GET into a POST inside getOutputStream
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("x-mock-chunk-delay-ms", delay(slow));
      try (java.io.OutputStream out = c.getOutputStream()) {
        out.write(ClientDriver.body(model, stream, true).getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
      return new Opened(status, body, body);
    }

    @Override
    public int notAi(String base) throws Exception {
      java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(base + "/models").openConnection();
      return c.getResponseCode();
    }
  }

  /** Reactor Netty: whole bodies aggregated, a stream stopped by taking its first chunk only. */
  static final class Reactor implements SuiteClient {
    private final reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create(
        reactor.netty.resources.ConnectionProvider.create("suite", THREADS * 2));

    private reactor.netty.http.client.HttpClient.ResponseReceiver<?> post(String base, String model, boolean stream,
        boolean slow) {
      return http.headers(h -> h.set("Content-Type", "application/json").set("x-mock-chunk-delay-ms", delay(slow)))
          .post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(ClientDriver.body(model, stream, true))));
    }

    @Override
    public Answer call(String base, String model, boolean stream) {
      return post(base, model, stream, false)
          .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
              .map(bytes -> new Answer(response.status().code(), bytes)))
          .block(Duration.ofSeconds(60));
    }

    @Override
    public void stopAfterFirstBytes(String base, String model) {
      post(base, model, true, true).responseContent().take(1).blockLast(Duration.ofSeconds(60));
      sleepQuietly(300); // the connection closes on the event loop after the cancel
    }

    @Override
    public boolean abandon(String base, String model) {
      return false; // a reactive response is read or cancelled, never held unread
    }

    @Override
    public int notAi(String base) {
      return http.get().uri(base + "/models").responseSingle((r, c) -> reactor.core.publisher.Mono.just(r.status().code()))
          .block(Duration.ofSeconds(30));
    }
  }

  /** Apache HttpClient 5 async: whole bodies as {@code SimpleHttpResponse}, a stream stopped by its consumer. */
  static final class Apache5Async implements SuiteClient {
    private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient http =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom().setConnectionManager(
            org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(THREADS * 2).setMaxConnPerRoute(THREADS * 2).build()).build();

    Apache5Async() {
      http.start();
    }

    private static org.apache.hc.client5.http.async.methods.SimpleHttpRequest post(String base, String model,
        boolean stream, boolean slow) {
      return org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(base + "/chat/completions")
          .addHeader("x-mock-chunk-delay-ms", delay(slow))
          .setBody(ClientDriver.body(model, stream, true), org.apache.hc.core5.http.ContentType.APPLICATION_JSON)
          .build();
    }

    @Override
    public Answer call(String base, String model, boolean stream) throws Exception {
      org.apache.hc.client5.http.async.methods.SimpleHttpResponse r =
          http.execute(post(base, model, stream, false), null).get(60, TimeUnit.SECONDS);
      return new Answer(r.getCode(), r.getBodyBytes() == null ? new byte[0] : r.getBodyBytes());
    }

    @Override
    public void stopAfterFirstBytes(String base, String model) throws Exception {
      org.apache.hc.core5.http.nio.AsyncResponseConsumer<Void> giveUp =
          new org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer<Void, Void>(
              new org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityConsumer<Void>() {
                @Override
                protected void streamStart(org.apache.hc.core5.http.ContentType contentType) {}

                @Override
                protected int capacityIncrement() {
                  return Integer.MAX_VALUE;
                }

                @Override
                protected void data(java.nio.ByteBuffer src, boolean endOfStream) throws IOException {
                  throw new IOException("stop"); // the app has seen enough
                }

                @Override
                protected Void generateContent() {
                  return null;
                }

                @Override
                public void releaseResources() {}
              }) {
            @Override
            protected Void buildResult(org.apache.hc.core5.http.HttpResponse response, Void entity,
                org.apache.hc.core5.http.ContentType contentType) {
              return null;
            }

            @Override
            public void informationResponse(org.apache.hc.core5.http.HttpResponse response,
                org.apache.hc.core5.http.protocol.HttpContext context) {}
          };
      try {
        http.execute(org.apache.hc.client5.http.async.methods.SimpleRequestProducer.create(post(base, model, true, true)),
            giveUp, null).get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException expected) {
        // the consumer's own exception
      }
    }

    @Override
    public boolean abandon(String base, String model) {
      return false; // an async response is consumed as it arrives, never held unread
    }

    @Override
    public int notAi(String base) throws Exception {
      return http.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(base + "/models").build(), null)
          .get(30, TimeUnit.SECONDS).getCode();
    }
  }

  /** The Vert.x 5 web client (on Netty 4.2); a stream stopped by resetting the request after its first chunk. */
  static final class Vertx implements SuiteClient {
    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    private final io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(vertx,
        new io.vertx.ext.web.client.WebClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(THREADS * 2));

    @Override
    public Answer call(String base, String model, boolean stream) throws Exception {
      io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r = web.postAbs(base + "/chat/completions")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(io.vertx.core.buffer.Buffer.buffer(ClientDriver.body(model, stream, true)))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      io.vertx.core.buffer.Buffer body = r.bodyAsBuffer();
      return new Answer(r.statusCode(), body == null ? new byte[0] : body.getBytes());
    }

    @Override
    public void stopAfterFirstBytes(String base, String model) throws Exception {
      URI uri = URI.create(base + "/chat/completions");
      java.util.concurrent.CompletableFuture<Void> first = new java.util.concurrent.CompletableFuture<>();
      vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.POST, uri.getPort(), uri.getHost(), uri.getPath())
          .compose(request -> request.putHeader("Content-Type", "application/json")
              .putHeader("x-mock-chunk-delay-ms", "50")
              .send(io.vertx.core.buffer.Buffer.buffer(ClientDriver.body(model, true, true))))
          .onSuccess(response -> response.handler(chunk -> {
            if (!first.isDone()) {
              response.request().reset(); // the app has seen enough
              first.complete(null);
            }
          }));
      first.get(60, TimeUnit.SECONDS);
      sleepQuietly(300); // the connection closes on the event loop after the reset
    }

    @Override
    public boolean abandon(String base, String model) {
      return false; // a Vert.x response is handled as it arrives, never held unread
    }

    @Override
    public int notAi(String base) throws Exception {
      return web.getAbs(base + "/models").send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .statusCode();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
