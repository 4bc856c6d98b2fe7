package io.tracelight.smoke;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.AbstractCharAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

/**
 * Apache HttpClient 5's async clients against the mock, as apps use them: {@code calls} (the
 * default and the minimal client, whole bodies and a stream read chunk by chunk, a GET that is
 * no AI call, a stream the app cancels) and {@code h2} (HTTP/2 over TLS, on the HTTP/2-only
 * client and the default one negotiating it). Prints only what the app observes.
 */
public final class ApacheAsyncDriver {
  private ApacheAsyncDriver() {}

  public static void main(String[] args) throws Exception {
    String base = args[1];
    switch (args[0]) {
      case "calls":
        calls(base);
        break;
      case "h2":
        h2(base, args[2]);
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  private static void calls(String base) throws Exception {
    try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        CloseableHttpAsyncClient minimal = HttpAsyncClients.createMinimal()) {
      client.start();
      minimal.start();
      for (boolean stream : new boolean[] {false, true}) {
        String tag = stream ? "stream" : "plain";
        SimpleHttpResponse r = client.execute(post(base, "apache-async-simple", stream), null).get(30, TimeUnit.SECONDS);
        print("simple " + tag, r);
        r = minimal.execute(post(base, "apache-async-minimal", stream), null).get(30, TimeUnit.SECONDS);
        print("minimal " + tag, r);
      }
      // a stream read as it arrives, from a producer of the app's own
      AsyncRequestProducer producer = AsyncRequestBuilder.post(base + "/chat/completions")
          .addHeader("Authorization", "Bearer sk-smoke-secret")
          .setEntity(AsyncEntityProducers.create(ClientDriver.body("apache-async-chunks", true, true),
              ContentType.APPLICATION_JSON))
          .build();
      Chunks chunks = new Chunks(Integer.MAX_VALUE, false);
      String text = client.execute(producer, chunks, null).get(30, TimeUnit.SECONDS);
      System.out.println("chunks: " + chunks.status + " " + ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8)));
      // not an AI call
      SimpleHttpResponse models = client.execute(SimpleRequestBuilder.get(base + "/models").build(), null)
          .get(30, TimeUnit.SECONDS);
      System.out.println("not-ai: " + models.getCode());
      // a slow stream whose Future the app cancels after the first chunk (HttpClient reads on regardless)
      Chunks some = new Chunks(1, false);
      SimpleHttpRequest slowToo = post(base, "apache-async-cancelled", true);
      slowToo.setHeader("x-mock-chunk-delay-ms", "50");
      Future<String> cancelled = client.execute(
          org.apache.hc.client5.http.async.methods.SimpleRequestProducer.create(slowToo), some, null);
      some.arrived.await(30, TimeUnit.SECONDS);
      System.out.println("cancelled: " + cancelled.cancel(true));
      // a slow stream the app gives up after its first chunk, by throwing from its consumer
      Chunks first = new Chunks(1, true);
      SimpleHttpRequest slow = post(base, "apache-async-given-up", true);
      slow.setHeader("x-mock-chunk-delay-ms", "50");
      Future<String> f = client.execute(
          org.apache.hc.client5.http.async.methods.SimpleRequestProducer.create(slow), first, null);
      try {
        f.get(30, TimeUnit.SECONDS);
        System.out.println("given up: completed");
      } catch (java.util.concurrent.ExecutionException e) {
        System.out.println("given up: " + e.getCause().getMessage());
      }
    }
  }

  private static void h2(String base, String certificatePem) throws Exception {
    javax.net.ssl.SSLContext tls = ClientDriver.trusting(certificatePem);
    org.apache.hc.core5.http.nio.ssl.TlsStrategy strategy =
        org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create().setSslContext(tls).build();
    try (CloseableHttpAsyncClient h2only = HttpAsyncClients.customHttp2().setTlsStrategy(strategy).build();
        CloseableHttpAsyncClient negotiating = HttpAsyncClients.custom()
            .setConnectionManager(org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(strategy).build())
            .build()) {
      h2only.start();
      negotiating.start();
      for (boolean stream : new boolean[] {false, true}) {
        String tag = stream ? "stream" : "plain";
        print("h2 " + tag, h2only.execute(post(base, stream ? "h2-stream" : "h2-plain", stream), null).get(30, TimeUnit.SECONDS));
        print("negotiated " + tag,
            negotiating.execute(post(base, stream ? "h2-stream" : "h2-plain", stream), null).get(30, TimeUnit.SECONDS));
      }
    }
  }

  private static SimpleHttpRequest post(String base, String model, boolean stream) {
    return SimpleRequestBuilder.post(base + "/chat/completions")
        .addHeader("Authorization", "Bearer sk-smoke-secret")
        .setBody(ClientDriver.body(model, stream, true), ContentType.APPLICATION_JSON)
        .build();
  }

  private static void print(String what, SimpleHttpResponse r) {
    System.out.println(what + ": " + r.getVersion() + " " + r.getCode() + " "
        + ClientDriver.sha256(r.getBodyBytes()));
  }

  /** A body read as text chunk by chunk, as a streaming app reads it; says when {@code signalAfter} chunks came. */
  private static final class TextChunks extends AbstractCharAsyncEntityConsumer<String> {
    final CountDownLatch arrived = new CountDownLatch(1);
    private final int signalAfter;
    private final boolean thenStop;
    private final StringBuilder text = new StringBuilder();
    private int seen;

    TextChunks(int signalAfter, boolean thenStop) {
      this.signalAfter = signalAfter;
      this.thenStop = thenStop;
    }

    @Override
    protected void streamStart(ContentType contentType) {}

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(CharBuffer src, boolean endOfStream) throws java.io.IOException {
      text.append(src);
      if (++seen == signalAfter) {
        arrived.countDown();
        if (thenStop) {
          throw new java.io.IOException("enough after " + seen + " chunk");
        }
      }
    }

    @Override
    protected String generateContent() {
      return text.toString();
    }

    @Override
    public void releaseResources() {}
  }

  private static final class Chunks extends AbstractAsyncResponseConsumer<String, String> {
    final CountDownLatch arrived;
    volatile int status;

    Chunks(int signalAfter, boolean thenStop) {
      this(new TextChunks(signalAfter, thenStop));
    }

    private Chunks(TextChunks text) {
      super(text);
      this.arrived = text.arrived;
    }

    @Override
    protected String buildResult(HttpResponse response, String entity, ContentType contentType) {
      status = response.getCode();
      return entity;
    }

    @Override
    public void informationResponse(HttpResponse response, org.apache.hc.core5.http.protocol.HttpContext context) {}
  }
}
