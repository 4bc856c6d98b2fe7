package io.tracelight.smoke;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Clients on Netty's HTTP/1.1 codec, plain and streamed, against the mock: Reactor Netty's
 * {@code HttpClient} ({@code reactor}) and Spring's {@code WebClient} on it ({@code webclient}).
 * Prints only what the app observes.
 */
public final class NettyDriver {
  private NettyDriver() {}

  public static void main(String[] args) throws Exception {
    String base = args[1];
    switch (args[0]) {
      case "reactor":
        reactor(base);
        break;
      case "webclient":
        webClient(base);
        break;
      case "interim":
        interim(base);
        break;
      case "h2":
        h2(base, args[2]);
        break;
      case "concurrent":
        concurrent(base, Integer.parseInt(args[2]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  private static void reactor(String base) {
    reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
        .headers(h -> h.set("Content-Type", "application/json").set("Authorization", "Bearer sk-smoke-secret"));
    for (boolean stream : new boolean[] {false, true}) {
      String body = ClientDriver.body(stream ? "reactor-stream" : "reactor-plain", stream, true);
      String answer = client.post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(body)))
          .responseSingle((response, content) -> content.asString()
              .map(text -> response.status().code() + " " + ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8))))
          .block(Duration.ofSeconds(30));
      System.out.println("reactor " + (stream ? "stream" : "plain") + ": " + answer);
    }
    // a stream read chunk by chunk as it arrives
    List<String> chunks = client.post().uri(base + "/chat/completions")
        .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(
            ClientDriver.body("reactor-chunks", true, true))))
        .responseContent().asString().collectList().block(Duration.ofSeconds(30));
    System.out.println("reactor chunks: " + ClientDriver.sha256(String.join("", chunks).getBytes(StandardCharsets.UTF_8)));
    String models = client.get().uri(base + "/models").responseSingle((response, content) ->
        reactor.core.publisher.Mono.just("" + response.status().code())).block(Duration.ofSeconds(30));
    System.out.println("not-ai: " + models);
  }

  private static void webClient(String base) {
    org.springframework.web.reactive.function.client.WebClient client =
        org.springframework.web.reactive.function.client.WebClient.builder().baseUrl(base)
            .defaultHeader("Authorization", "Bearer sk-smoke-secret").build();
    String plain = client.post().uri("/chat/completions")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .bodyValue(ClientDriver.body("webclient-plain", false, true))
        .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30));
    System.out.println("webclient plain: " + ClientDriver.sha256(plain.getBytes(StandardCharsets.UTF_8)));
    // server-sent events, as Spring AI reads a stream
    List<String> events = client.post().uri("/chat/completions")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM)
        .bodyValue(ClientDriver.body("webclient-stream", true, true))
        .retrieve().bodyToFlux(String.class).collectList().block(Duration.ofSeconds(30));
    System.out.println("webclient stream: " + events.size() + " events "
        + ClientDriver.sha256(String.join("\n", events).getBytes(StandardCharsets.UTF_8)));
    // a stream the app stops reading after three events
    List<String> first = client.post().uri("/chat/completions")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .header("x-mock-chunk-delay-ms", "20")
        .bodyValue(ClientDriver.body("webclient-cancel", true, true))
        .retrieve().bodyToFlux(String.class).take(3).collectList().block(Duration.ofSeconds(30));
    System.out.println("webclient cancelled after: " + first.size());
    // an app runs on after it lets go of a stream; Reactor Netty closes that connection on its event
    // loop meanwhile (a JVM exiting at once would count the call as still under way at exit)
    sleepQuietly(300);
  }

  /** Reactor Netty over HTTP/2 (TLS, ALPN): a whole answer, a stream, a slow stream cancelled after its first chunk. */
  private static void h2(String base, String certificatePem) {
    reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
        .protocol(reactor.netty.http.HttpProtocol.H2)
        .secure(spec -> spec.sslContext(reactor.netty.http.Http2SslContextSpec.forClient()
            .configure(builder -> builder.trustManager(new java.io.File(certificatePem)))))
        .headers(h -> h.set("Content-Type", "application/json"));
    for (boolean stream : new boolean[] {false, true}) {
      String body = ClientDriver.body(stream ? "h2-stream" : "h2-plain", stream, true);
      String answer = client.post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(body)))
          .responseSingle((response, content) -> content.asString()
              .map(text -> response.version() + " " + response.status().code() + " "
                  + ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8))))
          .block(Duration.ofSeconds(30));
      System.out.println("h2 " + (stream ? "stream" : "plain") + ": " + answer);
    }
    List<String> first = client.post().uri(base + "/chat/completions")
        .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(
            ClientDriver.body("h2-cancel", true, true))))
        .responseContent().asString().take(1).collectList().block(Duration.ofSeconds(30));
    System.out.println("h2 cancelled after: " + first.size());
    sleepQuietly(300); // the stream's reset goes out on the event loop
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Calls in flight at once over Reactor Netty's pool: several channels, several event loops. */
  private static void concurrent(String base, int calls) {
    reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
        .headers(h -> h.set("Content-Type", "application/json"));
    Long ok = reactor.core.publisher.Flux.range(0, calls)
        .flatMap(i -> client.post().uri(base + "/chat/completions")
            .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(
                ClientDriver.body("netty-concurrent", i % 2 == 1, true))))
            .responseSingle((response, content) -> content.asString().map(text -> response.status().code())), calls)
        .filter(code -> code == 200).count().block(Duration.ofSeconds(120));
    System.out.println("calls ok: " + ok);
  }

  /** Two calls on one connection, each sent with {@code Expect: 100-continue}: a 100 comes before each answer. */
  private static void interim(String base) {
    reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(
        reactor.netty.resources.ConnectionProvider.create("one", 1))
        .headers(h -> h.set("Content-Type", "application/json").set("Expect", "100-continue"));
    for (String model : new String[] {"interim-1", "interim-2"}) {
      String answer = client.post().uri(base + "/chat/completions")
          .send(reactor.netty.ByteBufFlux.fromString(reactor.core.publisher.Mono.just(ClientDriver.body(model, false, true))))
          .responseSingle((response, content) -> content.asString()
              .map(text -> response.status().code() + " " + ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8))))
          .block(Duration.ofSeconds(30));
      System.out.println(model + ": " + answer);
    }
  }
}
