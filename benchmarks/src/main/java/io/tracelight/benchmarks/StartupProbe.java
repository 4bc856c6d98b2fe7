package io.tracelight.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The hello-world app the start-up runs time: one chat call with the JDK client as its first
 * statement (no window in which an agent could warm up unseen), then exit. It names no other class
 * of the benchmarks, so nothing else is loaded.
 */
public final class StartupProbe {
  public static void main(String[] args) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(args[0] + "/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    long rss = 0;
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    System.out.println("hello " + r.statusCode() + " rss_kb=" + rss);
  }
}
