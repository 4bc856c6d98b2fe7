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
 * Each comes with the query parameters and headers it declared, minus every secret: that is all
 * a {@link RequestView} or {@link ResponseView} ever shows it. Immutable; any thread.
 */
public final class Protocols {
  private static final String[] NONE = new String[0];

  /** One protocol and the names it may read, secrets removed. */
  public static final class Entry {
    public final Protocol protocol;
    public final String[] queryParameters;
    /** Lower case. */
    public final String[] requestHeaders;
    /** Lower case. */
    public final String[] responseHeaders;

    Entry(Protocol protocol) {
      this.protocol = protocol;
      this.queryParameters = declare(protocol, "query parameter", protocol.queryParameters(), true);
      this.requestHeaders = declare(protocol, "request header", protocol.requestHeaders(), false);
      this.responseHeaders = declare(protocol, "response header", protocol.responseHeaders(), false);
    }
  }

  private final Entry[] entries;
  /** Every method some protocol matches: a request with another one is passed by unseen. */
  private final String[] methods;
  private final String[] queryParameters;
  private final String[] requestHeaders;

  public Protocols(List<Protocol> protocols) {
    Keys.OPERATION.getClass(); // core keys first, so records list them before any protocol's own
    entries = new Entry[protocols.size()];
    Set<String> methodSet = new LinkedHashSet<>();
    Set<String> query = new LinkedHashSet<>();
    Set<String> request = new LinkedHashSet<>();
    for (int i = 0; i < entries.length; i++) {
      Protocol p = protocols.get(i);
      entries[i] = new Entry(p);
      methodSet.addAll(p.methods());
      query.addAll(Arrays.asList(entries[i].queryParameters));
      request.addAll(Arrays.asList(entries[i].requestHeaders));
      p.attributes(); // declares the protocol's own keys
    }
    methods = methodSet.toArray(NONE);
    queryParameters = query.toArray(NONE);
    requestHeaders = request.toArray(NONE);
  }

  private static final java.util.Comparator<Protocol> BY_NAME = new java.util.Comparator<Protocol>() {
    @Override
    public int compare(Protocol a, Protocol b) {
      return a.name().compareTo(b.name());
    }
  };

  public Protocols(Protocol... protocols) {
    this(Arrays.asList(protocols));
  }

  /** Every protocol on the class path of {@code loader}, found through {@link ServiceLoader}. */
  public static Protocols load(ClassLoader loader) {
    List<Protocol> found = new ArrayList<>();
    for (Protocol p : ServiceLoader.load(Protocol.class, loader)) {
      found.add(p);
    }
    found.sort(BY_NAME);
    return new Protocols(found);
  }

  private static String[] declare(Protocol p, String what, List<String> names, boolean query) {
    List<String> kept = new ArrayList<>();
    for (String name : names) {
      boolean secret = query ? Secrets.isSecretQueryParameter(name) : Secrets.isSecretHeader(name);
      if (secret) {
        Log.warn("protocol " + p.name() + " asks for the secret " + what + " '" + name + "'; it is never shown");
        continue;
      }
      kept.add(query ? name : name.toLowerCase(Locale.ROOT));
    }
    return kept.isEmpty() ? NONE : kept.toArray(NONE);
  }

  /** True when some protocol may match a request with this method. Allocation-free: runs for every request. */
  public boolean mayMatch(String method) {
    for (String m : methods) {
      if (m.equals(method)) {
        return true;
      }
    }
    return false;
  }

  /** The protocol for a request, or null. Runs on the application's thread for every request it may match. */
  public Entry match(RequestView request) {
    if (request.path() == null || request.method() == null) {
      return null;
    }
    for (Entry e : entries) {
      if (e.protocol.matches(request)) {
        return e;
      }
    }
    return null;
  }

  public List<Protocol> all() {
    List<Protocol> list = new ArrayList<>(entries.length);
    for (Entry e : entries) {
      list.add(e.protocol);
    }
    return list;
  }

  /** Query parameters some protocol declared (shared, never modified), for matching. */
  public String[] queryParameters() {
    return queryParameters;
  }

  /** Request headers some protocol declared, lower case (shared, never modified), for matching. */
  public String[] requestHeaders() {
    return requestHeaders;
  }
}
