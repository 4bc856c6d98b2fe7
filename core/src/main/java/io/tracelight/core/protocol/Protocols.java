package io.tracelight.core.protocol;

import io.tracelight.core.Log;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The protocols the agent knows, asked in order; a request no protocol matches is not recorded.
 * Also the union of the query parameters and headers they declared, minus every secret: that is
 * all a {@link RequestView} or {@link ResponseView} ever shows. Immutable; any thread.
 */
public final class Protocols {
  private final Protocol[] protocols;
  private final String[] queryParameters;
  private final String[] requestHeaders;
  private final String[] responseHeaders;

  public Protocols(List<Protocol> protocols) {
    Keys.OPERATION.getClass(); // core keys first, so records list them before any protocol's own
    this.protocols = protocols.toArray(new Protocol[0]);
    Set<String> query = new LinkedHashSet<>();
    Set<String> request = new LinkedHashSet<>();
    Set<String> response = new LinkedHashSet<>();
    for (Protocol p : protocols) {
      declare(p, "query parameter", p.queryParameters(), query, true);
      declare(p, "request header", p.requestHeaders(), request, false);
      declare(p, "response header", p.responseHeaders(), response, false);
      p.attributes(); // declares the protocol's own keys
    }
    this.queryParameters = query.toArray(new String[0]);
    this.requestHeaders = request.toArray(new String[0]);
    this.responseHeaders = response.toArray(new String[0]);
  }

  public Protocols(Protocol... protocols) {
    this(Arrays.asList(protocols));
  }

  /** Every protocol on the class path of {@code loader}, found through {@link ServiceLoader}. */
  public static Protocols load(ClassLoader loader) {
    List<Protocol> found = new ArrayList<>();
    for (Protocol p : ServiceLoader.load(Protocol.class, loader)) {
      found.add(p);
    }
    found.sort((a, b) -> a.name().compareTo(b.name()));
    return new Protocols(found);
  }

  private static void declare(Protocol p, String what, List<String> names, Set<String> into, boolean query) {
    for (String name : names) {
      boolean secret = query ? Secrets.isSecretQueryParameter(name) : Secrets.isSecretHeader(name);
      if (secret) {
        Log.warn("protocol " + p.name() + " asks for the secret " + what + " '" + name + "'; it is never shown");
        continue;
      }
      into.add(query ? name : name.toLowerCase(Locale.ROOT));
    }
  }

  /** The protocol for a request, or null. Runs on the application's thread for every request. */
  public Protocol match(RequestView request) {
    if (request.path() == null || request.method() == null) {
      return null;
    }
    for (Protocol p : protocols) {
      if (p.matches(request)) {
        return p;
      }
    }
    return null;
  }

  public List<Protocol> all() {
    return Arrays.asList(protocols.clone());
  }

  /** Declared query parameter names (case as declared), never secret. */
  public String[] queryParameters() {
    return queryParameters;
  }

  /** Declared request header names, lower case, never secret. */
  public String[] requestHeaders() {
    return requestHeaders;
  }

  /** Declared response header names, lower case, never secret. */
  public String[] responseHeaders() {
    return responseHeaders;
  }
}
