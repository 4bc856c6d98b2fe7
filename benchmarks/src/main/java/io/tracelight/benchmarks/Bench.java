package io.tracelight.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * {@code benchmarks/run [all|micro|e2e|inference] [--quick] [--baseline=<agent jar>]}: runs the JMH
 * benchmarks, the end-to-end runs and the in-JVM inference runs and rewrites BENCHMARKS.md
 * ({@code all}); {@code micro}, {@code e2e} and {@code inference} run one part and print it instead. With a baseline jar (another build of the agent), the
 * end-to-end runs also measure it, and the report shows what the change between them costs. Runs
 * from the repository root.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    String what = a.stream().filter(x -> !x.startsWith("--")).findFirst().orElse("all");
    if (!List.of("all", "micro", "e2e", "inference").contains(what)) {
      System.err.println("usage: benchmarks/run [all|micro|e2e|inference] [--quick] [--baseline=<agent jar>]");
      System.exit(2);
    }
    boolean quick = a.contains("--quick");
    Path agent = Paths.get("agent/target/tracelight-agent.jar").toAbsolutePath();
    Path otel = Paths.get("benchmarks/target/otel/opentelemetry-javaagent.jar").toAbsolutePath();
    Path extension = Paths.get("otel-extension/target/tracelight-otel-extension.jar").toAbsolutePath();
    Path workloadClassPath = Paths.get("benchmarks/target/classpath-workload.txt").toAbsolutePath();
    for (Path p : List.of(agent, otel, extension, workloadClassPath)) {
      if (!Files.exists(p)) {
        System.err.println("missing " + p + ": run `mvn -q -B -DskipTests package` at the repository root first");
        System.exit(2);
      }
    }
    Micro micro = new Micro();
    String workload = Paths.get("benchmarks/target/classes").toAbsolutePath() + java.io.File.pathSeparator
        + Files.readString(workloadClassPath).trim();
    Path baseline = a.stream().filter(x -> x.startsWith("--baseline=")).map(x -> Paths.get(x.substring(11)).toAbsolutePath())
        .findFirst().orElse(null);
    if (baseline != null && !Files.exists(baseline)) {
      System.err.println("missing baseline agent jar " + baseline);
      System.exit(2);
    }
    EndToEnd e2e = new EndToEnd(agent, otel, extension, baseline, workload);
    if (what.equals("all") || what.equals("micro")) {
      micro.run(quick);
    }
    InferenceBench inference = new InferenceBench(agent, workload);
    if (what.equals("inference")) {
      inference.run(quick);
      e2e.receiver.close();
      System.out.println(inference.render());
      return;
    }
    if (what.equals("all") || what.equals("e2e")) {
      e2e.run(quick);
    }
    if (what.equals("all")) {
      inference.run(quick);
    }
    e2e.receiver.close();
    String report = new Report(micro, e2e, inference, quick).render();
    if (what.equals("all")) {
      Report.write(Paths.get("BENCHMARKS.md"), report);
      System.err.println("[bench] BENCHMARKS.md written");
    } else {
      System.out.println(report);
    }
  }
}
