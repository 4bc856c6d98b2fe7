package io.tracelight.core.pipeline;

import io.tracelight.core.exchange.CaptureBudget;
import io.tracelight.core.exchange.ContextCapture;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.exchange.MapHeaders;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Protocols;
import io.tracelight.core.protocol.ProviderHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an exchange the way an instrumentation does (request bytes as sent, response headers,
 * response bytes as read), then decodes it as the pipeline would, with every protocol the
 * agent ships.
 */
public final class ExchangeDriver {
  public static final Protocols PROTOCOLS = Protocols.load(ExchangeDriver.class.getClassLoader());
  public final List<Exchange> ended = Collections.synchronizedList(new ArrayList<>());
  public final CaptureBudget budget;
  public final ProviderHosts hosts;
  private final int maxBody;

  public ExchangeDriver(int maxBody, String hosts) {
    this(maxBody, hosts, 64L << 20);
  }

  public ExchangeDriver(int maxBody, String hosts, long inFlight) {
    this(maxBody, hosts, inFlight, null, false);
  }

  /** With a current-span lookup and, if {@code propagate}, {@code tracelight.propagation=tracecontext}. */
  public ExchangeDriver(ContextCapture capture, boolean propagate) {
    this(4 << 20, "", 64L << 20, capture, propagate);
  }

  private ExchangeDriver(int maxBody, String hosts, long inFlight, ContextCapture capture, boolean propagate) {
    this.maxBody = maxBody;
    this.budget = new CaptureBudget(inFlight);
    this.hosts = new ProviderHosts(hosts);
    Exchanges.install(new Exchanges.Setup(PROTOCOLS, ended::add, maxBody, budget, capture, propagate));
  }

  public ExchangeDriver() {
    this(4 << 20, "");
  }

  /** A POST to {@code https://host/path?query} with the given headers (name, value, ...). */
  public Exchange start(String host, String pathAndQuery, String... headers) {
    return startMethod("POST", host, pathAndQuery, headers);
  }

  public Exchange startMethod(String method, String host, String pathAndQuery, String... headers) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? null : pathAndQuery.substring(q + 1);
    return Exchanges.start("test", method, "https", host, 443, path, query, headers(headers), MapHeaders.INSTANCE);
  }

  public static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i].toLowerCase(java.util.Locale.ROOT), namesAndValues[i + 1]);
    }
    return map;
  }

  /** Sends {@code request} to an OpenAI chat path, answers with {@code response} in chunks. */
  public AiCall call(byte[] request, int status, String contentType, byte[] response, int chunk) {
    return call("api.openai.com", "/v1/chat/completions", request, status, contentType, response, chunk);
  }

  /** Sends {@code request} whole, answers with {@code response} in chunks of {@code chunk} bytes. */
  public AiCall call(String host, String pathAndQuery, byte[] request, int status, String contentType,
      byte[] response, int chunk, String... responseHeaders) {
    Exchange ex = start(host, pathAndQuery);
    if (ex == null) {
      throw new AssertionError("no protocol matched " + host + pathAndQuery);
    }
    if (request != null) {
      ex.requestBytes(request, 0, request.length);
    }
    ex.requestSent();
    respond(ex, status, contentType, response, chunk, responseHeaders);
    ex.complete();
    return decode(last());
  }

  /** Response headers, then the body in chunks of {@code chunk} bytes. */
  public static void respond(Exchange ex, int status, String contentType, byte[] response, int chunk,
      String... headers) {
    Map<String, String> map = headers(headers);
    if (contentType != null) {
      map.put("content-type", contentType);
    }
    ex.responseHeaders(status, response.length, map, MapHeaders.INSTANCE);
    for (int i = 0; i < response.length; i += chunk) {
      ex.responseBytes(response, i, Math.min(chunk, response.length - i));
    }
  }

  public Exchange last() {
    return ended.get(ended.size() - 1);
  }

  public AiCall decode(Exchange ex) {
    try {
      return CallProcessor.decode(ex, hosts);
    } finally {
      ex.releaseCaptures();
    }
  }

  public int maxBody() {
    return maxBody;
  }

  /** A recorded payload: {@code provider/name} under the test resources. */
  public static byte[] resource(String name) {
    String path = name.contains("/") ? "/" + name : "/openai/" + name;
    try (InputStream in = ExchangeDriver.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
