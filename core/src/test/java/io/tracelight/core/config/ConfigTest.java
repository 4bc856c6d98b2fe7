package io.tracelight.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaults() {
    Config c = Config.from(new Properties(), Map.of());
    assertTrue(c.getBoolean(ConfigOption.ENABLED));
    assertEquals("./tracelight", c.getString(ConfigOption.OUTPUT_DIR));
    assertEquals(4L << 20, c.getSize(ConfigOption.MAX_BODY_BYTES));
    assertTrue(c.instrumentationEnabled("okhttp"));
  }

  @Test
  void precedenceSystemOverEnvironmentOverFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "tracelight.output.dir=from-file\ntracelight.queue.capacity=7\nsummary=false\n");
    Config c = Config.from(
        props("tracelight.config.file", file.toString(), "tracelight.output.dir", "from-system"),
        Map.of("TRACELIGHT_OUTPUT_DIR", "from-env", "TRACELIGHT_QUEUE_CAPACITY", "9"));
    assertEquals("from-system", c.getString(ConfigOption.OUTPUT_DIR));
    assertEquals(9, c.getInt(ConfigOption.QUEUE_CAPACITY));
    assertFalse(c.getBoolean(ConfigOption.SUMMARY));
  }

  @Test
  void instrumentationToggles() {
    Config c = Config.from(props("tracelight.instrumentation.default-enabled", "false",
        "tracelight.instrumentation.okhttp.enabled", "true"), Map.of());
    assertTrue(c.instrumentationEnabled("okhttp"));
    assertFalse(c.instrumentationEnabled("jdk-httpclient"));
    Config env = Config.from(new Properties(), Map.of("TRACELIGHT_INSTRUMENTATION_JDK_HTTPCLIENT_ENABLED", "false"));
    assertFalse(env.instrumentationEnabled("jdk-httpclient"));
  }

  @Test
  void typoNamesTheNearestKey() {
    String err = stderrOf(() -> Config.from(props("tracelight.ouput.dir", "x"), Map.of()));
    assertEquals("[tracelight] unknown key tracelight.ouput.dir ignored; did you mean tracelight.output.dir?\n", err);
  }

  @Test
  void badValuesFallBackToTheDefaultAndSaySo() {
    String err = stderrOf(() -> {
      Config c = Config.from(props("tracelight.capture.max-body-bytes", "lots", "tracelight.summary", "yes",
          "tracelight.queue.capacity", "-3"), Map.of());
      assertEquals(4L << 20, c.getSize(ConfigOption.MAX_BODY_BYTES));
      assertTrue(c.getBoolean(ConfigOption.SUMMARY));
      assertEquals(8192, c.getInt(ConfigOption.QUEUE_CAPACITY));
    });
    assertTrue(err.contains("tracelight.capture.max-body-bytes=lots is not a size"), err);
    assertTrue(err.contains("tracelight.summary=yes is not true or false; using true"), err);
    assertTrue(err.contains("tracelight.queue.capacity=-3 is not a positive whole number; using 8192"), err);
  }

  @Test
  void sizes() {
    assertEquals(1024, Config.parseSize("1KB"));
    assertEquals(4L << 20, Config.parseSize("4 MiB"));
    assertEquals(2L << 30, Config.parseSize("2g"));
    assertEquals(123, Config.parseSize("123"));
    assertEquals(-1, Config.parseSize("1.5MB"));
  }
}
