package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.Protocols;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A protocol sees declared headers and query parameters only, and never a secret, even when it asks. */
class RequestViewSecretsTest {
  /** A greedy protocol: asks for every secret there is, plus two harmless names. */
  private static final class Greedy implements Protocol {
    RequestView seen;

    @Override
    public String name() {
      return "greedy";
    }

    @Override
    public String defaultProvider() {
      return "greedy";
    }

    @Override
    public List<String> requestHeaders() {
      return Arrays.asList("Authorization", "x-api-key", "api-key", "x-goog-api-key", "X-Amz-Date",
          "X-Amz-Security-Token", "X-Amz-Content-Sha256", "cookie", "anthropic-version");
    }

    @Override
    public List<String> queryParameters() {
      return Arrays.asList("key", "sig", "X-Amz-Signature", "X-Amz-Credential", "alt");
    }

    @Override
    public boolean matches(RequestView request) {
      seen = request;
      return true;
    }

    @Override
    public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call) {}

    @Override
    public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
      return null;
    }

    @Override
    public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {}

    @Override
    public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {}
  }

  @Test
  void secretsAreNeverVisibleWhileMatchingNorAfter() {
    Greedy greedy = new Greedy();
    Exchanges.install(new Exchanges.Setup(new Protocols(greedy), ex -> { }, 1 << 20, new CaptureBudget(1 << 20)));
    Map<String, String> headers = ExchangeDriver.headers("Authorization", "Bearer sk-secret-1", "x-api-key", "sk-secret-2",
        "api-key", "secret-3", "x-goog-api-key", "secret-4", "X-Amz-Date", "20261126T000000Z",
        "X-Amz-Security-Token", "secret-5", "X-Amz-Content-Sha256", "abc", "Cookie", "session=secret-6",
        "anthropic-version", "2023-06-01", "x-other", "undeclared");
    String query = "alt=sse&key=secret-7&sig=secret-8&X-Amz-Signature=secret-9&X-Amz-Credential=secret-10";
    Exchange ex = Exchanges.start("test", "POST", "https", "example.com", 443, "/v1/x", query, headers,
        MapHeaders.INSTANCE);
    assertNotNull(ex);
    for (RequestView view : new RequestView[] {greedy.seen, ex.request}) {
      for (String name : greedy.requestHeaders()) {
        if (!name.equals("anthropic-version")) {
          assertNull(view.header(name), name + " is a secret");
        }
      }
      assertEquals("2023-06-01", view.header("anthropic-version"), "a declared harmless header is visible");
      assertNull(view.header("x-other"), "an undeclared header is not");
      assertEquals("sse", view.queryParameter("alt"));
      for (String name : new String[] {"key", "sig", "X-Amz-Signature", "X-Amz-Credential"}) {
        assertNull(view.queryParameter(name), name + " is a secret");
      }
    }
    String described = ex.request.toString();
    for (int i = 1; i <= 10; i++) {
      assertEquals(-1, described.indexOf("secret-" + i), described);
    }
  }
}
