package io.tracelight.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * An agent that does nothing: what {@code -javaagent} itself costs the JVM at start (loading the
 * instrumentation support, opening the jar, calling {@code premain}), the floor under any agent.
 */
public final class NoOpAgent {
  private NoOpAgent() {}

  public static void premain(String args, Instrumentation inst) {}

  /** Writes the agent's jar into {@code dir}. */
  static Path writeJar(Path dir) throws Exception {
    Path jar = dir.resolve("noop-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", NoOpAgent.class.getName());
    String entry = NoOpAgent.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = NoOpAgent.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
