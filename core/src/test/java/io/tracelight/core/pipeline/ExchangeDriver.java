package io.tracelight.core.pipeline;

import io.tracelight.core.exchange.CaptureBudget;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Protocols;
import io.tracelight.core.protocol.ProviderHosts;
import io.tracelight.core.protocol.openai.OpenAiChatProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Drives an exchange the way an instrumentation does, then decodes it as the pipeline would. */
public final class ExchangeDriver {
  public final List<Exchange> ended = new ArrayList<>();
  public final CaptureBudget budget;
  private final int maxBody;

  public ExchangeDriver(int maxBody, String hosts) {
    this(maxBody, hosts, 64L << 20);
  }

  public ExchangeDriver(int maxBody, String hosts, long inFlight) {
    this.maxBody = maxBody;
    this.budget = new CaptureBudget(inFlight);
    Exchanges.install(new Exchanges.Setup(
        new Protocols(new OpenAiChatProtocol(new ProviderHosts(hosts), maxBody)), ended::add, maxBody, budget));
  }

  public ExchangeDriver() {
    this(4 << 20, "");
  }

  public Exchange start(String host, String path) {
    return Exchanges.start("test", "POST", host, 443, path);
  }

  /** Sends {@code request}, answers with {@code response} in chunks of {@code chunk} bytes. */
  public AiCall call(byte[] request, int status, String contentType, byte[] response, int chunk) {
    Exchange ex = start("api.openai.com", "/v1/chat/completions");
    if (request != null) {
      ex.requestBody(request, request.length);
    }
    ex.responseHeaders(status, contentType, response.length);
    for (int i = 0; i < response.length; i += chunk) {
      ex.responseBytes(response, i, Math.min(chunk, response.length - i));
    }
    ex.complete();
    return CallProcessor.decode(ended.get(ended.size() - 1));
  }

  public int maxBody() {
    return maxBody;
  }

  public static byte[] resource(String name) {
    try (InputStream in = ExchangeDriver.class.getResourceAsStream("/openai/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
