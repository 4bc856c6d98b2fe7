package io.tracelight.smoke;

import io.tracelight.mock.MockLlmServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An HTTP/2 (cleartext, prior knowledge) front for the mock server: each request is passed on to it
 * over HTTP/1.1 and its answer sent back whole, so clients that speak only HTTP/2 to a provider
 * (the AWS SDK's async Bedrock client) meet the mock's wire formats.
 */
final class Http2Front implements AutoCloseable {
  private static final Set<String> NOT_PASSED = Set.of("host", "content-length", "connection", "transfer-encoding",
      "upgrade", "keep-alive", "te", "http2-settings", "expect");

  private final MockWebServer front = new MockWebServer();
  private final HttpClient back = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Http2Front(MockLlmServer server) throws IOException {
    front.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    String root = "http://127.0.0.1:" + server.port();
    front.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        try {
          HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(root + request.getPath()))
              .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(request.getBody().readByteArray()));
          Headers headers = request.getHeaders();
          for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (!NOT_PASSED.contains(name) && !name.startsWith(":")) {
              out.header(headers.name(i), headers.value(i));
            }
          }
          HttpResponse<byte[]> answer = back.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
          MockResponse response = new MockResponse().setResponseCode(answer.statusCode());
          answer.headers().map().forEach((name, values) -> {
            if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
              values.forEach(v -> response.addHeader(name, v));
            }
          });
          return response.setBody(new okio.Buffer().write(answer.body()));
        } catch (IOException e) {
          return new MockResponse().setResponseCode(502).setBody(e.toString());
        }
      }
    });
    front.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + front.getPort();
  }

  @Override
  public void close() throws IOException {
    front.shutdown();
  }
}
