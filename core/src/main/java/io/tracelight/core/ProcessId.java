package io.tracelight.core;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * This JVM's process id. On Linux it is read from the {@code /proc/self} link: asking
 * {@code ProcessHandle} first initialises the JDK's process machinery (its reaper thread factory,
 * native set-up), about ten milliseconds of start-up the agent would add to every launch for one
 * number. Elsewhere, and if the link cannot be read, {@code ProcessHandle} answers. Any thread.
 */
public final class ProcessId {
  private static volatile long pid;

  private ProcessId() {}

  public static long current() {
    long p = pid;
    if (p == 0) {
      p = fromProc();
      if (p <= 0) {
        p = ProcessHandle.current().pid();
      }
      pid = p;
    }
    return p;
  }

  private static long fromProc() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/self")).toString());
    } catch (Exception | LinkageError e) {
      return -1; // not Linux, or no /proc
    }
  }
}
