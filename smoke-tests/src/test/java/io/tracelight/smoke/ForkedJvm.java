package io.tracelight.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs an application in a fresh JVM, with or without the built agent, and reads what it left. */
final class ForkedJvm {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path AGENT_JAR = Paths.get(System.getProperty("tracelight.agent.jar", "../agent/target/tracelight-agent.jar"));
  static final Path OTEL_EXTENSION_JAR = Paths.get(System.getProperty("tracelight.otel-extension.jar",
      "../otel-extension/target/tracelight-otel-extension.jar"));
  static final Path OTEL_JAVAAGENT_JAR = Paths.get(System.getProperty("tracelight.otel-javaagent.jar",
      "target/otel-javaagent/opentelemetry-javaagent.jar"));
  static final Path EXAMPLE_JAR = Paths.get(System.getProperty("tracelight.example.jar",
      "../examples/ai-demo/target/ai-demo.jar"));
  static final Path FRAUD_EXAMPLE_JAR = Paths.get(System.getProperty("tracelight.fraud-example.jar",
      "../examples/fraud-scoring/target/fraud-scoring.jar"));

  /** What one run left behind. */
  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;
    final Path outputDir;

    Result(int exitCode, String stdout, String stderr, Path outputDir) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.outputDir = outputDir;
    }

    List<JsonNode> records() throws IOException {
      Path file = outputDir.resolve("calls.jsonl");
      List<JsonNode> out = new ArrayList<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          out.add(JSON.readTree(line));
        }
      }
      return out;
    }

    /** The run's {@code summary.json}, or null when it wrote none. */
    JsonNode summaryJson() throws IOException {
      Path file = outputDir.resolve("summary.json");
      return Files.exists(file) ? JSON.readTree(Files.readString(file)) : null;
    }

    String recordsText() throws IOException {
      Path file = outputDir.resolve("calls.jsonl");
      return Files.exists(file) ? Files.readString(file) : "";
    }
  }

  private ForkedJvm() {}

  /**
   * The JDK running the tests and, when one is installed beside it, the newest other JDK of
   * release 21 or later (JDK 25 on the project's machines). A missing second JDK is said, not failed.
   */
  static List<Path> javaHomes() {
    Path current = Paths.get(System.getProperty("java.home"));
    List<Path> homes = new ArrayList<>(List.of(current));
    Path best = null;
    int bestVersion = 20;
    try (Stream<Path> siblings = Files.list(current.getParent())) {
      for (Path dir : (Iterable<Path>) siblings::iterator) {
        int v = releaseOf(dir);
        if (v > bestVersion && Files.isExecutable(dir.resolve("bin/java"))
            && !dir.toRealPath().equals(current.toRealPath())) {
          best = dir;
          bestVersion = v;
        }
      }
    } catch (IOException e) {
      // no siblings to look at
    }
    if (best != null) {
      homes.add(best);
    } else {
      System.out.println("[smoke] no JDK 21+ installed beside " + current + ": the JDK 25 runs are skipped");
    }
    return homes;
  }

  private static int releaseOf(Path javaHome) {
    try {
      for (String line : Files.readAllLines(javaHome.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a JDK
    }
    return -1;
  }

  static Result runMain(Path javaHome, boolean agent, Path outputDir, List<String> jvmArgs,
      Map<String, String> env, String mainClass, String... args) throws Exception {
    return runMainWithClassPath(System.getProperty("java.class.path"), javaHome, agent, outputDir, jvmArgs, env,
        mainClass, args);
  }

  /** The test class path with OkHttp 4, Okio and Kotlin swapped for OkHttp 5's. */
  static String classPathWithOkHttp5() throws IOException {
    Path dir = Paths.get(System.getProperty("tracelight.okhttp5.dir", "target/okhttp5"));
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (!name.startsWith("okhttp-4") && !name.startsWith("okio") && !name.startsWith("kotlin-stdlib")) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(dir)) {
      jars.forEach(j -> entries.add(j.toString()));
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /**
   * The test class path with OkHttp, Okio and Apache HttpClient 4 swapped for the given jars of
   * {@code target/old-clients} (file names).
   */
  static String classPathWithOldClients(String... jars) {
    Path dir = Paths.get(System.getProperty("tracelight.old-clients.dir", "target/old-clients"));
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (!name.startsWith("okhttp-4") && !name.startsWith("okio") && !name.startsWith("httpclient-4")
          && !name.startsWith("httpcore-4")) {
        entries.add(entry);
      }
    }
    for (String jar : jars) {
      entries.add(dir.resolve(jar).toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** The test class path with Netty 4.1 swapped for the Vert.x 5 web client and Netty 4.2 of {@code target/vertx5}. */
  static String classPathWithVertx5() throws IOException {
    Path dir = Paths.get(System.getProperty("tracelight.vertx5.dir", "target/vertx5"));
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (!name.startsWith("netty-") && !name.startsWith("vertx-")) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(dir)) {
      jars.forEach(j -> entries.add(j.toString()));
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  static Result runMainWithClassPath(String classPath, Path javaHome, boolean agent, Path outputDir,
      List<String> jvmArgs, Map<String, String> env, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return run(javaHome, agent, outputDir, jvmArgs, env, command);
  }

  static Result runJar(Path javaHome, boolean agent, Path outputDir, List<String> jvmArgs,
      Map<String, String> env, Path jar) throws Exception {
    return run(javaHome, agent, outputDir, jvmArgs, env, List.of("-jar", jar.toString()));
  }

  static Result runJarWithArgs(Path javaHome, boolean agent, Path outputDir, List<String> jvmArgs,
      Map<String, String> env, Path jar, List<String> args) throws Exception {
    List<String> tail = new ArrayList<>(List.of("-jar", jar.toString()));
    tail.addAll(args);
    return run(javaHome, agent, outputDir, jvmArgs, env, tail);
  }

  private static Result run(Path javaHome, boolean agent, Path outputDir, List<String> jvmArgs,
      Map<String, String> env, List<String> tail) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin/java").toString());
    command.add("-Xmx512m");
    if (agent) {
      command.add("-javaagent:" + AGENT_JAR.toAbsolutePath());
      command.add("-Dtracelight.output.dir=" + outputDir);
    }
    command.addAll(jvmArgs);
    command.addAll(tail);
    Files.createDirectories(outputDir);
    Path stdout = outputDir.resolveSibling(outputDir.getFileName() + ".out");
    Path stderr = outputDir.resolveSibling(outputDir.getFileName() + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TRACELIGHT_") || k.startsWith("OPENAI_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM did not finish: " + command);
    }
    return new Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr), outputDir);
  }
}
