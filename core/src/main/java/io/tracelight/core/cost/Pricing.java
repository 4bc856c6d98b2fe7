package io.tracelight.core.cost;

import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost stage: prices each generative call from its token counts with the {@link PriceTable}
 * (the user's file before the shipped one; the file is read again when it changes, looked at no
 * more than every ten seconds), and records {@code ai.cost.usd}, or why there is none. Costs by
 * token type ride on the call for the metrics. Pipeline thread only; {@link #unpriced} from the
 * shutdown hook after that thread stopped.
 */
public final class Pricing {
  /** Token types, in the order of {@link AiCall#costByType}. */
  public static final String[] TOKEN_TYPES = {"input", "output", "cache_read", "cache_write"};
  private static final long RECHECK_NANOS = 10_000_000_000L;

  /** Null until the first call (or the pipeline's warm-up): the agent's start parses no JSON. */
  private PriceTable shipped;
  private final Path file;
  /** Model or deployment name to the model it is priced as (Azure deployments, private names). */
  private final Map<String, String> aliases;
  private PriceTable table;
  private long fileModified = Long.MIN_VALUE;
  private long lastCheck;
  /** Models with no price, with how many calls: named once in the summary. */
  private final Map<String, Integer> unpriced = new TreeMap<>();

  /** {@code shipped} null: the jar's table, read at the first call. */
  public Pricing(PriceTable shipped, Path file, Map<String, String> aliases) {
    this.shipped = shipped;
    this.file = file;
    this.aliases = aliases;
  }

  private void load() {
    if (shipped == null) {
      shipped = shippedTable();
    }
    table = shipped;
    if (file != null) {
      reloadIfChanged(true);
    }
  }

  /** The table in the jar. */
  public static PriceTable shippedTable() {
    try (InputStream in = Pricing.class.getResourceAsStream("prices.json")) {
      return in == null ? PriceTable.empty() : PriceTable.parse(in.readAllBytes());
    } catch (IOException e) {
      Log.warn("the price table in the agent jar cannot be read (" + e + "); no call gets a cost");
      return PriceTable.empty();
    }
  }

  /** {@code a=b,c=d}: a model or deployment name priced as another model. */
  public static Map<String, String> aliases(String config) {
    Map<String, String> out = new HashMap<>();
    for (String pair : config.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      } else if (!pair.trim().isEmpty()) {
        Log.warn("tracelight.pricing.aliases has '" + pair.trim() + "', not name=model; ignored");
      }
    }
    return out;
  }

  private void reloadIfChanged(boolean first) {
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (modified == fileModified) {
        return;
      }
      PriceTable own = PriceTable.parse(Files.readAllBytes(file));
      table = own.before(shipped);
      if (!first) {
        Log.warn("prices reloaded from " + file + " (" + own.entries().size() + " entries)");
      }
      fileModified = modified;
    } catch (IOException | RuntimeException e) {
      fileModified = fileModifiedOrNow();
      Log.warn("tracelight.pricing.file=" + file + " cannot be used (" + e.getMessage() + "); "
          + (first ? "the shipped prices apply" : "the prices in use stay"));
    }
  }

  private long fileModifiedOrNow() {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return System.currentTimeMillis();
    }
  }

  /** Sets the call's cost (or why there is none); predictions are not priced. */
  public void price(AiCall call, long nowNanos) {
    if (Keys.isPrediction(call)) {
      return;
    }
    if (table == null) {
      load();
      lastCheck = nowNanos;
    } else if (file != null && nowNanos - lastCheck >= RECHECK_NANOS) {
      lastCheck = nowNanos;
      reloadIfChanged(false);
    }
    Long input = call.get(Keys.INPUT_TOKENS);
    Long output = call.get(Keys.OUTPUT_TOKENS);
    if (input == null && output == null) {
      call.set(Keys.COST_STATUS, "no_usage");
      return;
    }
    String provider = call.get(Keys.PROVIDER);
    PriceTable.Entry price = null;
    String model = call.get(Keys.RESPONSE_MODEL);
    for (int attempt = 0; attempt < 2 && price == null; attempt++) {
      if (model != null) {
        String alias = aliases.get(model);
        price = table.find(provider, alias != null ? alias : model);
      }
      model = call.get(Keys.REQUEST_MODEL);
    }
    if (price == null) {
      String name = call.get(Keys.REQUEST_MODEL) != null ? call.get(Keys.REQUEST_MODEL) : call.get(Keys.RESPONSE_MODEL);
      call.set(Keys.COST_STATUS, "unknown_model");
      String key = provider + "/" + name;
      Integer seen = unpriced.get(key);
      if (seen != null || unpriced.size() < 100) { // a flood of names keeps memory bounded
        unpriced.put(key, seen == null ? 1 : seen + 1);
      }
      return;
    }
    long in = input == null ? 0 : input;
    long cacheRead = orZero(call.get(Keys.CACHE_READ_TOKENS));
    long cacheWrite = orZero(call.get(Keys.CACHE_CREATION_TOKENS));
    long plainInput = Math.max(0, in - cacheRead - cacheWrite);
    boolean longContext = price.longContextAbove > 0 && in > price.longContextAbove;
    double[] byType = new double[4];
    byType[0] = plainInput * (longContext ? price.longInput : price.input) / 1e6;
    byType[1] = (output == null ? 0 : output) * (longContext ? price.longOutput : price.output) / 1e6;
    byType[2] = cacheRead * (longContext ? price.longCacheRead : price.cacheRead) / 1e6;
    byType[3] = cacheWrite * (longContext ? price.longCacheWrite : price.cacheWrite) / 1e6;
    if (price.batchFactor < 1 && batchRate(call)) {
      for (int i = 0; i < byType.length; i++) {
        byType[i] *= price.batchFactor;
      }
      call.set(Keys.COST_BATCH_RATE, Boolean.TRUE);
    }
    double total = 0;
    for (double d : byType) {
      total += d;
    }
    call.costByType = byType;
    call.set(Keys.COST_USD, total);
    if (Boolean.TRUE.equals(call.get(Keys.USAGE_ESTIMATED))) {
      call.set(Keys.COST_ESTIMATED, Boolean.TRUE);
    }
  }

  /** The provider says the call was served at its batch rate: OpenAI's flex processing. */
  private static boolean batchRate(AiCall call) {
    String tier = call.get(Keys.OPENAI_RESPONSE_SERVICE_TIER);
    if (tier == null) {
      tier = call.get(Keys.OPENAI_REQUEST_SERVICE_TIER);
    }
    return "flex".equals(tier);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /** {@code provider/model} to calls with no price, by name. */
  public Map<String, Integer> unpriced() {
    return unpriced;
  }
}
