package io.tracelight.smoke;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x 5 web client (Netty 4.2) making OpenAI-compatible calls, whole and streamed, and
 * Vert.x's HTTP client reading a stream chunk by chunk. Prints only what the app observes.
 */
public final class VertxDriver {
  private VertxDriver() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[1] + "/chat/completions");
    Vertx vertx = Vertx.vertx();
    try {
      WebClient web = WebClient.create(vertx);
      for (boolean stream : new boolean[] {false, true}) {
        io.vertx.ext.web.client.HttpResponse<Buffer> r = web.postAbs(base.toString())
            .putHeader("Content-Type", "application/json")
            .putHeader("Authorization", "Bearer sk-smoke-secret")
            .sendBuffer(Buffer.buffer(ClientDriver.body(stream ? "vertx-stream" : "vertx-plain", stream, true)))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("web client " + (stream ? "stream" : "plain") + ": " + r.statusCode() + " "
            + ClientDriver.sha256(r.bodyAsBuffer().getBytes()));
      }
      HttpClient http = vertx.createHttpClient();
      StringBuilder chunks = new StringBuilder();
      int[] count = {0};
      int status = http.request(HttpMethod.POST, base.getPort(), base.getHost(), base.getPath())
          .compose(request -> request.putHeader("Content-Type", "application/json")
              .send(Buffer.buffer(ClientDriver.body("vertx-chunks", true, true)))
              .compose(response -> {
                response.handler(chunk -> {
                  count[0]++;
                  chunks.append(chunk.toString(StandardCharsets.UTF_8));
                });
                return response.end().map(done -> response.statusCode());
              }))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println("http client chunks: " + status + " "
          + ClientDriver.sha256(chunks.toString().getBytes(StandardCharsets.UTF_8)) + " in " + (count[0] > 1 ? "several" : "one"));
      System.out.println("netty " + io.netty.util.Version.identify().get("netty-codec-http").artifactVersion());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
