package io.tracelight.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The price table in the jar: every price checked at the table's review, sourced, and reachable. */
class ShippedPricesTest {
  private final PriceTable table = Pricing.shippedTable();

  @Test
  void everyPriceWasCheckedAtTheTablesReview() {
    assertNotNull(table.reviewed);
    LocalDate reviewed = LocalDate.parse(table.reviewed);
    assertTrue(!reviewed.isAfter(LocalDate.now().plusDays(1)), "a review date in the future: " + reviewed);
    assertTrue(table.entries().size() >= 30);
    for (PriceTable.Entry e : table.entries()) {
      assertNotNull(e.checked, e.model);
      assertTrue(!LocalDate.parse(e.checked).isBefore(reviewed),
          e.model + " was checked " + e.checked + ", before the table's review " + table.reviewed + ": check it again");
      assertTrue(e.source != null && e.source.startsWith("https://"), e.model + " names its source page");
      assertTrue(e.input >= 0 && e.output >= 0 && e.cacheRead <= e.input && e.cacheWrite >= e.cacheRead, e.model);
    }
  }

  @Test
  void noEntryIsHiddenByAnEarlierOne() {
    for (PriceTable.Entry e : table.entries()) {
      String example = e.model.replace("*", "x");
      String provider = e.providers.isEmpty() ? "openai" : e.providers.get(0);
      assertSame(e, table.find(provider, example), e.model + " is matched first by an earlier entry");
    }
  }

  @Test
  void theDemosModelsArePricedFromTheirIds() {
    Pricing p = new Pricing(table, null, Map.of());
    String[][] calls = {
        {"openai_compatible", "gpt-4o-mini"}, // a gateway passes OpenAI's price on
        {"openai_compatible", "llama-3.1-8b-instruct"}, // a self-hosted model: no price
        {"openai", "gpt-4o-mini-2024-07-18"}, {"anthropic", "claude-haiku-4-5"}, {"gcp.gemini", "gemini-2.5-flash"},
        {"aws.bedrock", "us.amazon.nova-lite-v1:0"}, {"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
        {"ollama", "llama3.2:3b"}};
    double[] perMillionIn = {0.15, -1, 0.15, 1.00, 0.30, 0.06, 3.00, 0};
    for (int i = 0; i < calls.length; i++) {
      AiCall c = new AiCall();
      c.set(Keys.OPERATION, "chat");
      c.set(Keys.PROVIDER, calls[i][0]);
      c.set(Keys.REQUEST_MODEL, calls[i][1]);
      c.set(Keys.INPUT_TOKENS, 100_000L); // under every long-context threshold
      c.set(Keys.OUTPUT_TOKENS, 0L);
      p.price(c, 0);
      if (perMillionIn[i] < 0) {
        assertEquals("unknown_model", c.get(Keys.COST_STATUS), calls[i][1]);
      } else {
        assertEquals(perMillionIn[i] / 10, c.get(Keys.COST_USD), 1e-12, calls[i][1]);
      }
    }
  }
}
