package io.tracelight.smoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;

/**
 * The application of the privacy smoke tests: AI calls over the JDK client carrying secrets the way
 * applications do (headers, a query parameter, an API key pasted into a prompt) and personal data in
 * prompts, and a workload mix for the fidelity rules. Prints each status, as the application sees it.
 */
public final class PrivacyDriver {
  static final String AUTH_HEADER_KEY = "sk-proj-PLANTEDauthHEADER0123456789abcd";
  static final String X_API_KEY = "sk-ant-api03-PLANTEDxapikey0123456789abcdef";
  static final String GEMINI_KEY = "AIzaSyPLANTEDqueryKEY0123456789abcdefg";
  static final String PROMPT_KEY = "sk-proj-PLANTEDinPROMPT0123456789abcdefgh";
  static final String CARD = "4111 1111 1111 1111";
  static final String EMAIL = "jane.doe@example.com";
  /** Trace ids the labelling calls carry, so the test can tell which the ratio keeps. */
  static final long TRACE_SEED = 20261127L;
  static final int LABELLING_CALLS = 300;

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  private PrivacyDriver(String baseUrl) {
    this.base = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl; // the server's root
  }

  public static void main(String[] args) throws Exception {
    PrivacyDriver d = new PrivacyDriver(args[1]);
    if (args[0].equals("secrets")) {
      d.secrets();
    } else if (args[0].equals("samplers")) {
      d.samplers();
    } else {
      d.workloads();
    }
  }

  private void secrets() throws Exception {
    send("/v1/chat/completions", "{\"model\":\"mock-pii\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are the bank's assistant. Escalate to ops@bank.example.\"},"
        + "{\"role\":\"user\",\"content\":\"My card is " + CARD + ", mail " + EMAIL + ", and my key is " + PROMPT_KEY
        + ". Who is my account manager?\"}]}",
        "Authorization", "Bearer " + AUTH_HEADER_KEY);
    send("/v1/messages", "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"stream\":true,"
        + "\"system\":\"Answer briefly.\",\"messages\":[{\"role\":\"user\",\"content\":\"Reach me at " + EMAIL
        + ", key " + PROMPT_KEY + "\"}]}",
        "x-api-key", X_API_KEY, "anthropic-version", "2023-06-01");
    send("/v1beta/models/gemini-2.0-flash:generateContent?key=" + GEMINI_KEY,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"My IBAN is GB82 WEST 1234 5698 7654 32\"}]}]}");
  }

  /** One of each kind of personal data and credential the agent detects, in one prompt. */
  static final String EVERY_KIND = "mail jane.doe@example.com, phone +44 20 7946 0958, card 4111 1111 1111 1111, "
      + "IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, hosts 192.168.1.20 and 2001:db8::8a2e:370:7334, "
      + "keys sk-proj-AbCdEf0123456789AbCdEf0123 sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123 AKIAIOSFODNN7EXAMPLE "
      + "AIzaSyA-1234567890abcdefghijklmnopqrstu, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl, "
      + "header Bearer abcdefABCDEF0123456789xyz";
  static final String AGENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final int BULK_CALLS = 50;

  /** Level 2 everywhere: a call with personal data, an agent whose last step fails, a bulk of routine calls. */
  private void samplers() throws Exception {
    send("/v1/chat/completions", chat("gpt-4o-mini", EVERY_KIND));
    for (int i = 0; i < 3; i++) {
      send("/v1/chat/completions", chat("agent-step", "Step " + i), "traceparent", AGENT_TRACE);
    }
    send("/v1/chat/completions", chat("mock-error-500", "Last step"), "traceparent", AGENT_TRACE);
    for (int i = 0; i < BULK_CALLS; i++) {
      send("/v1/chat/completions", chat("bulk-model", "Routine " + i));
    }
  }

  private void workloads() throws Exception {
    for (int i = 0; i < 3; i++) {
      send("/v1/chat/completions", chat("gpt-4o", "Score applicant " + i + ", mail applicant" + i + "@example.com"),
          "x-workload", "credit-scoring", "x-user-id", "customer-" + i);
    }
    Random traces = new Random(TRACE_SEED);
    for (int i = 0; i < LABELLING_CALLS; i++) {
      send("/v1/chat/completions", chat("gpt-4o-mini", "Label transaction " + i),
          "x-workload", "labelling", "traceparent", traceparent(traces));
    }
    send("/v1/chat/completions", chat("mock-error-500", "Label transaction failing"), "x-workload", "labelling");
    logContext("session_id", "fraud-review-7"); // Log4j 2's ThreadContext when it is there, as an app's filter would
    for (int i = 0; i < 4; i++) {
      send("/v1/chat/completions", chat("fraud-detector", "Flag transaction " + i), "x-workload", "fraud");
    }
    send("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"routine\"}");
  }

  /** {@code ThreadContext.put(key, value)}, by reflection: Log4j's API is on the class path of one test only. */
  private static void logContext(String key, String value) {
    try {
      Class.forName("org.apache.logging.log4j.ThreadContext").getMethod("put", String.class, String.class)
          .invoke(null, key, value);
    } catch (ReflectiveOperationException e) {
      // no Log4j here
    }
  }

  static String traceparent(Random traces) {
    return String.format("00-%016x%016x-%016x-01", traces.nextLong(), traces.nextLong(), traces.nextLong() | 1);
  }

  private static String chat(String model, String prompt) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  private void send(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    System.out.println(path.substring(0, Math.min(path.length(), 30)) + " " + r.statusCode() + " " + r.body().length());
  }
}
