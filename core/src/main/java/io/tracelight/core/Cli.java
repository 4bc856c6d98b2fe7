package io.tracelight.core;

/**
 * The agent jar's commands, run with {@code java -jar tracelight-agent.jar <command> ...}:
 * {@code verify} checks an audit trail, {@code content} opens the restricted text store,
 * {@code report} tells what an output directory's files say, {@code compare} sets two labels or
 * versions of a model side by side, {@code baseline} makes a drift baseline file from a period.
 */
public final class Cli {
  private Cli() {}

  public static int main(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    switch (command) {
      case "verify":
        return io.tracelight.core.audit.AuditVerifier.main(args);
      case "content":
        return io.tracelight.core.policy.ContentStore.main(args);
      case "report":
        return io.tracelight.core.report.Report.main(args);
      case "compare":
        return io.tracelight.core.report.Compare.main(args);
      case "baseline":
        return io.tracelight.core.report.Baseline.main(args);
      default:
        System.err.println("Tracelight " + AgentVersion.VALUE + " is a Java agent: -javaagent:tracelight-agent.jar\n"
            + "commands:\n"
            + "  java -jar tracelight-agent.jar verify [--partial] <audit file or directory>   check an audit trail\n"
            + "  java -jar tracelight-agent.jar content <content file> [ref]                  print stored text\n"
            + "  java -jar tracelight-agent.jar report <output dir> [--html <file>]          calls, drift, alerts, feedback\n"
            + "  java -jar tracelight-agent.jar compare <output dir> [--by deployment|version] [--model m] [A B]\n"
            + "                                                                              two labels or versions side by side\n"
            + "  java -jar tracelight-agent.jar baseline <output dir> [--from t] [--to t] [--calls n] [--out f]\n"
            + "                                                                              a drift baseline from a period");
        return 2;
    }
  }
}
