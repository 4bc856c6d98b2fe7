package io.tracelight.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.export.RollingFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertBookTest {
  private static final AlertSubject SUBJECT = new AlertSubject("openai", "gpt-test", null, "canary", "abc");
  private static final long MINUTE = 60_000_000_000L;

  private static Alert breach(long at) {
    return new Alert(at, Alert.State.FIRING, Alert.Severity.WARNING, "rate", "refusal_rate", "p_chart", 0.3, 0.05,
        Double.NaN, 0.01, 0.3, "up", SUBJECT, 500, 500, AlertBook.newEpisodeId(), "https://runbooks.example/rate",
        "refusal_rate rose");
  }

  @Test
  void anEpisodeFiresOnceAndResolvesAfterTwoClearChecks() {
    AlertBook book = new AlertBook(10 * MINUTE);
    List<Alert> sent = new ArrayList<>();
    book.sink(sent::add);
    book.breach("k", breach(1), 0);
    book.breach("k", breach(2), MINUTE);
    book.breach("k", breach(3), 2 * MINUTE);
    assertEquals(1, sent.size());
    book.clear("k", 4, 3 * MINUTE, 0.01, 0.01);
    assertEquals(1, sent.size(), "one clear check does not end it");
    book.breach("k", breach(5), 4 * MINUTE); // flapping back: still the same episode
    book.clear("k", 6, 5 * MINUTE, 0.01, 0.01);
    book.clear("k", 7, 6 * MINUTE, 0.01, 0.01);
    assertEquals(2, sent.size());
    Alert resolved = sent.get(1);
    assertEquals(Alert.State.RESOLVED, resolved.state);
    assertEquals(sent.get(0).episode, resolved.episode);
    assertEquals(1, book.fired());
    assertEquals(1, book.resolved());
    assertTrue(book.firing().isEmpty());
  }

  @Test
  void theCooldownHoldsBackANewEpisodeAndCountsIt() {
    AlertBook book = new AlertBook(10 * MINUTE);
    book.breach("k", breach(1), 0);
    book.clear("k", 2, MINUTE, 0, 0);
    book.clear("k", 3, 2 * MINUTE, 0, 0);
    book.breach("k", breach(4), 5 * MINUTE);
    book.breach("k", breach(5), 6 * MINUTE);
    assertEquals(1, book.fired());
    assertEquals(2, book.suppressed());
    book.breach("k", breach(6), 13 * MINUTE);
    assertEquals(2, book.fired());
    book.breach("other", breach(7), 13 * MINUTE); // another signal is its own episode
    assertEquals(3, book.fired());
  }

  @Test
  void eventsAreWrittenOneLineEachWithTheirContext(@TempDir Path dir) throws Exception {
    io.tracelight.core.export.EventFile file = io.tracelight.core.export.EventFile.lazy(dir, "alerts", 0, false,
        RollingFile.Retention.none());
    AlertBook book = new AlertBook(0);
    assertTrue(!Files.exists(dir.resolve("alerts.jsonl")), "no file before the first alert");
    book.sink(AlertBook.into(file));
    book.breach("k", breach(1_700_000_000_000_000_000L), 0);
    book.clear("k", 1_700_000_060_000_000_000L, 1, 0.01, 0.012);
    book.clear("k", 1_700_000_120_000_000_000L, 2, 0.01, 0.011);
    List<String> lines = Files.readAllLines(dir.resolve("alerts.jsonl"), StandardCharsets.UTF_8);
    file.close();
    assertEquals(2, lines.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode firing = json.readTree(lines.get(0));
    assertEquals("firing", firing.get("state").asText());
    assertEquals("warning", firing.get("severity").asText());
    assertEquals("2023-11-14T22:13:20.000000Z", firing.get("time").asText());
    assertEquals("refusal_rate", firing.get("signal").asText());
    assertEquals("p_chart", firing.get("statistic").asText());
    assertEquals(0.3, firing.get("value").asDouble());
    assertEquals(0.05, firing.get("threshold").asDouble());
    assertEquals(0.01, firing.get("baseline").asDouble());
    assertEquals("openai", firing.get("provider").asText());
    assertEquals("canary", firing.get("deployment").asText());
    assertEquals("abc", firing.get("system_hash").asText());
    assertEquals("https://runbooks.example/rate", firing.get("runbook").asText());
    assertTrue(!firing.has("p_value"), "a NaN p-value is left out");
    JsonNode resolved = json.readTree(lines.get(1));
    assertEquals("resolved", resolved.get("state").asText());
    assertEquals(firing.get("episode").asText(), resolved.get("episode").asText());
    assertEquals(0.011, resolved.get("current").asDouble());
  }
}
