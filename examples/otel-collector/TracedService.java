import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A service with one endpoint, /ask, that asks an OpenAI-compatible server one question: run it
 * under the OpenTelemetry agent with the Tracelight extension and the trace shows the server span
 * for /ask with the AI span under it (beside the agent's HTTP client span). One file: compile it
 * with javac and run it with the base URL (e.g. http://127.0.0.1:8080/v1); it asks itself once and exits.
 */
public class TracedService {
  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080/v1";
    String key = System.getenv().getOrDefault("OPENAI_API_KEY", "sk-demo");
    HttpClient client = HttpClient.newHttpClient();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ask", exchange -> {
      String answer;
      try {
        HttpRequest chat = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Answer in one sentence.\"},"
                + "{\"role\":\"user\",\"content\":\"What is a span?\"}]}"))
            .build();
        answer = client.send(chat, HttpResponse.BodyHandlers.ofString()).body();
      } catch (Exception e) {
        answer = "failed: " + e;
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
    URI ask = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ask");
    System.out.println(client.send(HttpRequest.newBuilder(ask).build(), HttpResponse.BodyHandlers.ofString()).body());
    server.stop(0);
  }
}
