package io.tracelight.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic and the lookup, on a table of this test's own (the shipped prices have their own test). */
class PricingTest {
  private static final String TABLE = "{\"reviewed\":\"2026-11-27\",\"prices\":["
      + "{\"providers\":[\"openai\",\"azure.ai.openai\"],\"model\":\"gpt-4o-mini*\",\"input\":0.15,\"cache_read\":0.075,"
      + "\"output\":0.6,\"batch_factor\":0.5,\"checked\":\"2026-11-27\",\"source\":\"https://example.com/openai\"},"
      + "{\"providers\":[\"anthropic\",\"aws.bedrock\"],\"model\":\"claude-sonnet-4-5*\",\"input\":3,\"cache_read\":0.3,"
      + "\"cache_write\":3.75,\"output\":15,\"long_context\":{\"above_input_tokens\":200000,\"input\":6,\"output\":22.5,"
      + "\"cache_read\":0.6,\"cache_write\":7.5},\"checked\":\"2026-11-27\",\"source\":\"https://example.com/anthropic\"}]}";

  private static PriceTable table() throws Exception {
    return PriceTable.parse(TABLE.getBytes(StandardCharsets.UTF_8));
  }

  private static AiCall call(String provider, String model, Long in, Long out) {
    AiCall c = new AiCall();
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, provider);
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.INPUT_TOKENS, in);
    c.set(Keys.OUTPUT_TOKENS, out);
    return c;
  }

  @Test
  void modelIdsAreNormalisedBeforeMatching() {
    assertEquals("claude-sonnet-4-5-20250929", PriceTable.normalise("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals("claude-sonnet-4-5-20250929", PriceTable.normalise("anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals("gemini-2.5-flash", PriceTable.normalise("models/gemini-2.5-flash"));
    assertEquals("nova-lite", PriceTable.normalise("us.amazon.nova-lite-v1:0"));
    assertEquals("gpt-4o-mini-2024-07-18", PriceTable.normalise("gpt-4o-mini-2024-07-18"));
    assertEquals("gpt-4.1-mini", PriceTable.normalise("gpt-4.1-mini"));
    assertEquals("llama3.2:3b", PriceTable.normalise("llama3.2:3b"));
  }

  @Test
  void inputCacheAndOutputTokensArePricedApart() throws Exception {
    Pricing p = new Pricing(table(), null, Map.of());
    AiCall c = call("anthropic", "claude-sonnet-4-5-20250929", 10_000L, 2_000L);
    c.set(Keys.CACHE_READ_TOKENS, 6_000L);
    c.set(Keys.CACHE_CREATION_TOKENS, 1_000L);
    p.price(c, 0);
    // 3,000 plain input at $3, 6,000 cache reads at $0.30, 1,000 cache writes at $3.75, 2,000 output at $15
    double expected = (3_000 * 3 + 6_000 * 0.3 + 1_000 * 3.75 + 2_000 * 15) / 1e6;
    assertEquals(expected, c.get(Keys.COST_USD), 1e-12);
    assertEquals(3_000 * 3 / 1e6, c.costByType[0], 1e-12);
    assertEquals(2_000 * 15 / 1e6, c.costByType[1], 1e-12);
    assertNull(c.get(Keys.COST_STATUS));
  }

  @Test
  void aFlexCallPaysTheBatchRateAndSaysSo() throws Exception {
    Pricing p = new Pricing(table(), null, Map.of());
    AiCall standard = call("openai", "gpt-4o-mini", 1_000_000L, 1_000_000L);
    p.price(standard, 0);
    assertEquals(0.75, standard.get(Keys.COST_USD), 1e-12);
    assertNull(standard.get(Keys.COST_BATCH_RATE));
    AiCall flex = call("openai", "gpt-4o-mini", 1_000_000L, 1_000_000L);
    flex.set(Keys.OPENAI_REQUEST_SERVICE_TIER, "auto");
    flex.set(Keys.OPENAI_RESPONSE_SERVICE_TIER, "flex"); // the response's word wins over the request's
    p.price(flex, 0);
    assertEquals(0.375, flex.get(Keys.COST_USD), 1e-12, "half price: the entry's batch_factor 0.5");
    assertEquals(Boolean.TRUE, flex.get(Keys.COST_BATCH_RATE));
    AiCall noDiscountKnown = call("anthropic", "claude-sonnet-4-5", 1_000L, 1_000L);
    noDiscountKnown.set(Keys.OPENAI_REQUEST_SERVICE_TIER, "flex");
    p.price(noDiscountKnown, 0);
    assertNull(noDiscountKnown.get(Keys.COST_BATCH_RATE), "no batch_factor in the entry: standard prices, no mark");
  }

  @Test
  void aLongPromptPaysTheLongContextPrices() throws Exception {
    Pricing p = new Pricing(table(), null, Map.of());
    AiCall c = call("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 250_000L, 1_000L);
    p.price(c, 0);
    assertEquals((250_000 * 6 + 1_000 * 22.5) / 1e6, c.get(Keys.COST_USD), 1e-12);
  }

  @Test
  void datedIdsAndAliasesResolveAndUnknownModelsSaySo() throws Exception {
    Pricing p = new Pricing(table(), null, Map.of("my-deployment", "gpt-4o-mini"));
    AiCall dated = call("openai", "gpt-4o-mini", 1_000_000L, 0L);
    dated.set(Keys.RESPONSE_MODEL, "gpt-4o-mini-2024-07-18");
    p.price(dated, 0);
    assertEquals(0.15, dated.get(Keys.COST_USD), 1e-12);
    AiCall azure = call("azure.ai.openai", "my-deployment", 0L, 1_000_000L);
    p.price(azure, 0);
    assertEquals(0.6, azure.get(Keys.COST_USD), 1e-12);
    AiCall unknown = call("ollama", "llama3.2:3b", 10L, 10L);
    p.price(unknown, 0);
    p.price(call("ollama", "llama3.2:3b", 10L, 10L), 0);
    assertNull(unknown.get(Keys.COST_USD), "never a silent zero");
    assertEquals("unknown_model", unknown.get(Keys.COST_STATUS));
    assertEquals(Map.of("ollama/llama3.2:3b", 2), p.unpriced());
    AiCall failed = call("openai", "gpt-4o-mini", null, null);
    p.price(failed, 0);
    assertEquals("no_usage", failed.get(Keys.COST_STATUS));
    AiCall otherProvider = call("anthropic", "gpt-4o-mini", 10L, 10L);
    p.price(otherProvider, 0);
    assertEquals("unknown_model", otherProvider.get(Keys.COST_STATUS), "an entry applies to its providers only");
  }

  @Test
  void estimatedTokensGiveAnEstimatedCost() throws Exception {
    Pricing p = new Pricing(table(), null, Map.of());
    AiCall c = call("openai", "gpt-4o-mini", 100L, 100L);
    c.set(Keys.USAGE_ESTIMATED, Boolean.TRUE);
    p.price(c, 0);
    assertEquals(Boolean.TRUE, c.get(Keys.COST_ESTIMATED));
  }

  @Test
  void aUsersFileComesFirstAndIsReadAgainWhenItChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"prices\":[{\"model\":\"gpt-4o-mini*\",\"input\":0.1,\"output\":0.4}]}");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
    Pricing p = new Pricing(table(), file, Map.of());
    AiCall first = call("openai", "gpt-4o-mini", 1_000_000L, 0L);
    p.price(first, 0);
    assertEquals(0.1, first.get(Keys.COST_USD), 1e-12, "negotiated price wins");

    Files.writeString(file, "{\"prices\":[{\"model\":\"gpt-4o-mini*\",\"input\":0.05,\"output\":0.2}]}");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_100_000L));
    AiCall soon = call("openai", "gpt-4o-mini", 1_000_000L, 0L);
    p.price(soon, 5_000_000_000L);
    assertEquals(0.1, soon.get(Keys.COST_USD), 1e-12, "looked at no more than every 10 s");
    AiCall later = call("openai", "gpt-4o-mini", 1_000_000L, 0L);
    p.price(later, 11_000_000_000L);
    assertEquals(0.05, later.get(Keys.COST_USD), 1e-12, "reloaded without a restart");

    Files.writeString(file, "{\"prices\":[{\"model\":\"broken\"}]}");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_200_000L));
    AiCall kept = call("openai", "gpt-4o-mini", 1_000_000L, 0L);
    p.price(kept, 22_000_000_000L);
    assertEquals(0.05, kept.get(Keys.COST_USD), 1e-12, "a broken file keeps the prices in use");
  }

  @Test
  void predictionsAreNotPriced() throws Exception {
    AiCall c = new AiCall();
    c.set(Keys.PREDICT_OPERATION, "predict");
    new Pricing(table(), null, Map.of()).price(c, 0);
    assertNull(c.get(Keys.COST_STATUS));
    assertTrue(c.costByType == null);
  }
}
