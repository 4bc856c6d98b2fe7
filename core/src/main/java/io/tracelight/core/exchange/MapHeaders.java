package io.tracelight.core.exchange;

import java.util.Locale;
import java.util.Map;

/** Headers held in a map (lower-case names): for the mock-free callers, tests and benchmarks. */
public final class MapHeaders implements HeaderGetter<Map<String, String>> {
  public static final MapHeaders INSTANCE = new MapHeaders();

  private MapHeaders() {}

  @Override
  public String get(Map<String, String> carrier, String name) {
    return carrier == null ? null : carrier.get(name.toLowerCase(Locale.ROOT));
  }
}
