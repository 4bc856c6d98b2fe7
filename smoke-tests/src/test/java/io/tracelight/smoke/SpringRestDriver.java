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
 * Spring's {@code RestClient} and {@code RestTemplate}, which need no module of their own, on each
 * client they run on: the JDK's {@code HttpClient}, Apache HttpClient 5, {@code HttpURLConnection}
 * and Reactor Netty. Each makes a whole call and a streamed one read from the body's stream.
 */
public final class SpringRestDriver {
  private SpringRestDriver() {}

  public static void main(String[] args) throws Exception {
    String base = args[1];
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
}
