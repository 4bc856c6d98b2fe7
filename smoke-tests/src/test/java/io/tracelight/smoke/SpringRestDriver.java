package io.tracelight.smoke;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's {@code RestClient} and {@code RestTemplate} ({@code calls}), which need no module of
 * their own, on each client they run on: the JDK's {@code HttpClient}, Apache HttpClient 5,
 * {@code HttpURLConnection} and Reactor Netty; each makes a whole call and a streamed one read from
 * the body's stream. {@code webclient}: Spring's {@code WebClient} on the connectors other than
 * Reactor Netty's (the JDK client, Apache HttpClient 5 async), a whole answer and server-sent events.
 */
public final class SpringRestDriver {
  private SpringRestDriver() {}

  public static void main(String[] args) throws Exception {
    String base = args[1];
    if (args[0].equals("webclient")) {
      webClients(base);
      return;
    }
    Map<String, ClientHttpRequestFactory> factories = new LinkedHashMap<>();
    factories.put("jdk", new org.springframework.http.client.JdkClientHttpRequestFactory());
    factories.put("apache5", new org.springframework.http.client.HttpComponentsClientHttpRequestFactory());
    factories.put("urlconnection", new org.springframework.http.client.SimpleClientHttpRequestFactory());
    factories.put("reactor", new org.springframework.http.client.ReactorClientHttpRequestFactory());
    for (Map.Entry<String, ClientHttpRequestFactory> f : factories.entrySet()) {
      RestClient client = RestClient.builder().baseUrl(base).requestFactory(f.getValue())
          .defaultHeader("Authorization", "Bearer sk-smoke-secret").build();
      String plain = client.post().uri("/chat/completions").contentType(MediaType.APPLICATION_JSON)
          .body(ClientDriver.body("spring-restclient-" + f.getKey(), false, true)).retrieve().body(String.class);
      System.out.println("RestClient " + f.getKey() + " plain: " + ClientDriver.sha256(plain.getBytes(StandardCharsets.UTF_8)));
      byte[] streamed = client.post().uri("/chat/completions").contentType(MediaType.APPLICATION_JSON)
          .body(ClientDriver.body("spring-restclient-" + f.getKey(), true, true))
          .exchange((request, response) -> {
            try (InputStream in = response.getBody()) {
              return in.readAllBytes();
            }
          });
      System.out.println("RestClient " + f.getKey() + " stream: " + ClientDriver.sha256(streamed));
      RestTemplate template = new RestTemplate(f.getValue());
      org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
      headers.setContentType(MediaType.APPLICATION_JSON);
      String viaTemplate = template.postForObject(base + "/chat/completions", new org.springframework.http.HttpEntity<>(
          ClientDriver.body("spring-resttemplate-" + f.getKey(), false, true), headers), String.class);
      System.out.println("RestTemplate " + f.getKey() + ": " + ClientDriver.sha256(viaTemplate.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static void webClients(String base) throws Exception {
    org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient apache =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
    Map<String, org.springframework.http.client.reactive.ClientHttpConnector> connectors = new LinkedHashMap<>();
    connectors.put("jdk", new org.springframework.http.client.reactive.JdkClientHttpConnector());
    connectors.put("apache5-async", new org.springframework.http.client.reactive.HttpComponentsClientHttpConnector(apache));
    for (Map.Entry<String, org.springframework.http.client.reactive.ClientHttpConnector> c : connectors.entrySet()) {
      org.springframework.web.reactive.function.client.WebClient client =
          org.springframework.web.reactive.function.client.WebClient.builder().baseUrl(base)
              .clientConnector(c.getValue()).defaultHeader("Authorization", "Bearer sk-smoke-secret").build();
      String plain = client.post().uri("/chat/completions").contentType(MediaType.APPLICATION_JSON)
          .bodyValue(ClientDriver.body("spring-webclient-" + c.getKey(), false, true))
          .retrieve().bodyToMono(String.class).block(java.time.Duration.ofSeconds(30));
      System.out.println("WebClient " + c.getKey() + " plain: " + ClientDriver.sha256(plain.getBytes(StandardCharsets.UTF_8)));
      java.util.List<String> events = client.post().uri("/chat/completions").contentType(MediaType.APPLICATION_JSON)
          .accept(MediaType.TEXT_EVENT_STREAM)
          .bodyValue(ClientDriver.body("spring-webclient-" + c.getKey(), true, true))
          .retrieve().bodyToFlux(String.class).collectList().block(java.time.Duration.ofSeconds(30));
      System.out.println("WebClient " + c.getKey() + " stream: " + events.size() + " events "
          + ClientDriver.sha256(String.join("\n", events).getBytes(StandardCharsets.UTF_8)));
    }
    apache.close();
  }
}
