package io.tracelight.mock;

import java.io.PrintStream;

/** The standalone server's command line: {@code --port N} (or a bare port), {@code --log}, {@code --help}. */
final class Cli {
  private Cli() {}

  static void main(String[] args) throws Exception {
    int port = 0;
    boolean log = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        help(System.out);
        return;
      } else if (a.equals("--log")) {
        log = true;
      } else if (a.equals("--port") && i + 1 < args.length) {
        port = parsePort(args[++i]);
      } else if (a.startsWith("--port=")) {
        port = parsePort(a.substring("--port=".length()));
      } else if (a.matches("\\d+")) {
        port = parsePort(a); // the old form: MockLlmServer [port]
      } else {
        System.err.println("unknown argument: " + a);
        help(System.err);
        System.exit(2);
      }
    }
    MockLlmServer s = MockLlmServer.start(port);
    if (log) {
      s.onSent(sent -> System.out.println("answered: " + sent));
    }
    banner(System.out, s.port());
    Thread.currentThread().join();
  }

  private static int parsePort(String s) {
    int port = Integer.parseInt(s);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + s);
    }
    return port;
  }

  /** One line per provider with the base URL its client libraries take. */
  static void banner(PrintStream out, int port) {
    String root = "http://127.0.0.1:" + port;
    out.println("mock LLM server at " + root + "/v1");
    out.println("  OpenAI      base URL " + root + "/v1   (Azure OpenAI endpoint: " + root + ")");
    out.println("  Anthropic   base URL " + root + " (SDK)   " + root + "/v1 (LangChain4j)");
    out.println("  Gemini      base URL " + root + " (google-genai HttpOptions.baseUrl)   " + root + "/v1beta (LangChain4j)");
    out.println("  Vertex AI   base URL " + root + " (google-genai with vertexAI, HttpOptions.baseUrl)");
    out.println("  Ollama      base URL " + root);
    out.println("  Bedrock     endpoint override " + root + " (any region, any credentials)");
    out.flush();
  }

  static void help(PrintStream out) {
    out.println("usage: java -jar mock-server.jar [--port N] [--log] [--help]");
    out.println();
    out.println("A loopback mock LLM server speaking the OpenAI (and Azure OpenAI), Anthropic, Gemini (and");
    out.println("Vertex AI), Ollama and Bedrock Runtime wire formats, with deterministic answers.");
    out.println();
    out.println("options:");
    out.println("  --port N   port to listen on at 127.0.0.1 (default 0: any free port, printed at start)");
    out.println("  --log      print every answer given, with its tokens");
    out.println("  --help     this text");
    out.println();
    out.println("models that misbehave on every protocol (a vendor prefix or :tag around them is fine):");
    out.println("  mock-error-500, mock-error-429, mock-overloaded   errors in the provider's envelope");
    out.println("  <anything>-no-such-model                          a 404");
    out.println("  mock-malformed, mock-empty, mock-non-utf8         a cut, empty or non-UTF-8 body");
    out.println("  mock-big                                          a 50 MB answer");
    out.println("  mock-truncated, mock-reset, mock-stream-error     streams that stop, drop or fail midway");
    out.println("  mock-refusal                                      a refusal in the provider's form");
    out.println("  mock-pii                                          an answer holding an e-mail address and a phone number");
    out.println("  mock-sorry                                        a refusal in words only (an ordinary stop)");
    out.println("  mock-length                                       half an answer, stopped at the token limit (OpenAI, Anthropic)");
    out.println("  mock-bad-json                                     JSON cut in the middle, with an ordinary stop");
    out.println("  mock-drift-<n>                                    ordinary (30 ms) for n calls, then 30% refusals,");
    out.println("                                                    3x longer answers, 90 ms");
    out.println("  mock-tools                                        a call of the first tool offered");
    out.println();
    out.println("request headers: x-mock-delay-ms (before the first byte), x-mock-chunk-delay-ms (between stream pieces)");
  }
}
