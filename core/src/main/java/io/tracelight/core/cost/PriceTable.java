package io.tracelight.core.cost;

import io.tracelight.core.config.Glob;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Prices per million tokens by provider and model pattern, read from JSON: the table shipped in the
 * jar ({@code prices.json} beside this class) or a user's ({@code tracelight.pricing.file}), whose
 * entries come first. An entry names the providers it applies to, a model glob ({@code *} for any
 * characters), input, output, cache-read and cache-write prices, optionally a long-context tier
 * (prices above an input size) and a batch discount, the date it was checked and its source page.
 * Immutable; any thread.
 */
public final class PriceTable {
  /** One price entry. Prices are USD per million tokens; a missing cache price is the input price. */
  public static final class Entry {
    public final List<String> providers;
    public final String model;
    public final double input;
    public final double output;
    public final double cacheRead;
    public final double cacheWrite;
    /** Input tokens above which the long-context prices apply; 0 for none. */
    public final long longContextAbove;
    public final double longInput;
    public final double longOutput;
    public final double longCacheRead;
    public final double longCacheWrite;
    /** The share of the price a batched call pays (0.5 for half price); 1 when none is stated. */
    public final double batchFactor;
    public final String checked;
    public final String source;
    /** A price of local inference (Ollama: none per token): never applied to a gateway's calls. */
    public final boolean local;

    Entry(Builder b) {
      local = b.local;
      providers = Collections.unmodifiableList(b.providers);
      model = b.model;
      input = b.input;
      output = b.output;
      cacheRead = Double.isNaN(b.cacheRead) ? b.input : b.cacheRead;
      cacheWrite = Double.isNaN(b.cacheWrite) ? b.input : b.cacheWrite;
      longContextAbove = b.longAbove;
      longInput = Double.isNaN(b.longInput) ? b.input : b.longInput;
      longOutput = Double.isNaN(b.longOutput) ? b.output : b.longOutput;
      longCacheRead = Double.isNaN(b.longCacheRead) ? cacheRead : b.longCacheRead;
      longCacheWrite = Double.isNaN(b.longCacheWrite) ? cacheWrite : b.longCacheWrite;
      batchFactor = Double.isNaN(b.batchFactor) ? 1 : b.batchFactor;
      checked = b.checked;
      source = b.source;
    }

    /**
     * The entry's providers, or any provider when the call went to an OpenAI-compatible gateway
     * or proxy ({@code openai_compatible}: LiteLLM, OpenRouter, a company gateway), which passes the
     * model's own price on.
     */
    boolean appliesTo(String provider, String normalisedModel) {
      return (providers.isEmpty() || providers.contains(provider) || !local && "openai_compatible".equals(provider))
          && Glob.matches(model, normalisedModel);
    }
  }

  private static final class Builder {
    final List<String> providers = new ArrayList<>(2);
    String model;
    double input = Double.NaN;
    double output = Double.NaN;
    double cacheRead = Double.NaN;
    double cacheWrite = Double.NaN;
    long longAbove;
    double longInput = Double.NaN;
    double longOutput = Double.NaN;
    double longCacheRead = Double.NaN;
    double longCacheWrite = Double.NaN;
    double batchFactor = Double.NaN;
    String checked;
    String source;
    boolean local;
  }

  private final List<Entry> entries;
  /** The date the whole table was last reviewed (the shipped table's {@code reviewed}), or null. */
  public final String reviewed;

  private PriceTable(List<Entry> entries, String reviewed) {
    this.entries = Collections.unmodifiableList(entries);
    this.reviewed = reviewed;
  }

  public static PriceTable empty() {
    return new PriceTable(new ArrayList<Entry>(), null);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** This table's entries first, then {@code fallback}'s: a user's file overrides the shipped table. */
  public PriceTable before(PriceTable fallback) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(fallback.entries);
    return new PriceTable(all, fallback.reviewed);
  }

  /** The first entry for the provider and model (see {@link #normalise}), or null. */
  public Entry find(String provider, String model) {
    if (model == null) {
      return null;
    }
    String normalised = normalise(model);
    for (Entry e : entries) {
      if (e.appliesTo(provider, normalised)) {
        return e;
      }
    }
    return null;
  }

  /**
   * A model id as the table names it: lower case; a Bedrock inference profile's region
   * ({@code us.}, {@code eu.}, {@code apac.}, {@code global.}) and vendor ({@code anthropic.},
   * {@code amazon.}, {@code meta.}, ...) prefixes and version suffix ({@code -v1:0}) removed; a
   * path's last segment ({@code models/gemini-2.5-flash}, an ARN).
   */
  static String normalise(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    for (String region : new String[] {"us.", "eu.", "apac.", "global.", "us-gov."}) {
      if (m.startsWith(region)) {
        m = m.substring(region.length());
        break;
      }
    }
    int dot = m.indexOf('.');
    if (dot > 0 && isVendor(m.substring(0, dot))) {
      m = m.substring(dot + 1);
    }
    int version = m.lastIndexOf("-v");
    if (version > 0 && m.indexOf(':', version) > 0) {
      m = m.substring(0, version); // "claude-sonnet-4-5-20250929-v1:0"
    } else if (m.endsWith(":0") || m.endsWith(":latest")) {
      m = m.substring(0, m.lastIndexOf(':'));
    }
    return m;
  }

  private static boolean isVendor(String prefix) {
    switch (prefix) {
      case "anthropic":
      case "amazon":
      case "meta":
      case "mistral":
      case "cohere":
      case "ai21":
      case "deepseek":
      case "openai":
      case "qwen":
        return true;
      default:
        return false;
    }
  }

  /**
   * Reads a table: {@code {"reviewed": "2026-11-27", "prices": [{...}, ...]}}; see docs/schema.md
   * for an entry's members. An entry without a model, input or output price is an error.
   */
  public static PriceTable parse(byte[] json) throws IOException {
    List<Entry> entries = new ArrayList<>();
    String reviewed = null;
    try (JsonParser p = Json.parser(json, 0, json.length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("reviewed")) {
          reviewed = Json.string(p);
        } else if (field.equals("prices") && p.currentToken() == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            entries.add(entry(p));
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return new PriceTable(entries, reviewed);
  }

  private static Entry entry(JsonParser p) throws IOException {
    Builder b = new Builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "providers":
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            b.providers.add(p.getText());
          }
          break;
        case "model":
          b.model = Json.string(p).toLowerCase(Locale.ROOT);
          break;
        case "input":
          b.input = number(p);
          break;
        case "output":
          b.output = number(p);
          break;
        case "cache_read":
          b.cacheRead = number(p);
          break;
        case "cache_write":
          b.cacheWrite = number(p);
          break;
        case "long_context":
          longContext(p, b);
          break;
        case "batch_factor":
          b.batchFactor = number(p);
          break;
        case "checked":
          b.checked = Json.string(p);
          break;
        case "local":
          b.local = Boolean.TRUE.equals(Json.bool(p));
          break;
        case "source":
          b.source = Json.string(p);
          break;
        default:
          p.skipChildren();
      }
    }
    if (b.model == null || Double.isNaN(b.input) || Double.isNaN(b.output)) {
      throw new IOException("a price entry needs model, input and output (" + b.model + ")");
    }
    return new Entry(b);
  }

  private static void longContext(JsonParser p, Builder b) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "above_input_tokens":
          Long above = Json.integer(p);
          b.longAbove = above == null ? 0 : above;
          break;
        case "input":
          b.longInput = number(p);
          break;
        case "output":
          b.longOutput = number(p);
          break;
        case "cache_read":
          b.longCacheRead = number(p);
          break;
        case "cache_write":
          b.longCacheWrite = number(p);
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static double number(JsonParser p) throws IOException {
    Double d = Json.number(p);
    if (d == null || d < 0) {
      throw new IOException("a price must be a number of at least 0");
    }
    return d;
  }
}
