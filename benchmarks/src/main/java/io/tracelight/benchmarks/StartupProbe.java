package io.tracelight.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The hello-world app the start-up runs time: one chat call with the JDK client, then exit. */
public final class StartupProbe {
  public static void main(String[] args) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(args[0] + "/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    System.out.println("hello " + r.statusCode() + " rss_kb=" + Workload.peakRssKb());
  }
}
