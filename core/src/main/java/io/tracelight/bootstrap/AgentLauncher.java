package io.tracelight.bootstrap;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarFile;

/**
 * Entry point named in the jar's manifest. It hands over to the core, which it loads in an
 * isolated {@link AgentClassLoader} so that none of the agent's classes (or its relocated
 * libraries) are visible to the application: only this package's two classes are plain entries
 * of the jar. Whatever fails here is reported and the application starts regardless.
 */
public final class AgentLauncher {
  private AgentLauncher() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static synchronized void start(String args, Instrumentation inst, boolean lateAttach) {
    if (System.getProperty("tracelight.internal.started") != null) {
      return; // attached twice: the first instance keeps working
    }
    System.setProperty("tracelight.internal.started", "true");
    try {
      Path jar = agentJar();
      JarFile jarFile = new JarFile(jar.toFile());
      AgentClassLoader loader = new AgentClassLoader(jarFile, jar.toUri().toURL());
      Class<?> installer = loader.loadClass("io.tracelight.core.AgentInstaller");
      Method install =
          installer.getMethod("install", String.class, Instrumentation.class, boolean.class);
      long t0 = System.nanoTime();
      install.invoke(null, args, inst, lateAttach);
      if (Boolean.getBoolean("tracelight.internal.debug")) {
        System.err.println("[tracelight] started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } catch (Throwable t) {
      System.err.println("[tracelight] agent not started, the application runs without it: " + t);
    }
  }

  /**
   * {@code java -jar tracelight-agent.jar <command>}: the agent's commands ({@code verify} an audit
   * trail, print stored {@code content}), run in the agent's own class loader.
   */
  public static void main(String[] args) throws Exception {
    Path jar = agentJar();
    JarFile jarFile = new JarFile(jar.toFile());
    AgentClassLoader loader = new AgentClassLoader(jarFile, jar.toUri().toURL());
    Method main = loader.loadClass("io.tracelight.core.Cli").getMethod("main", String[].class);
    System.exit((Integer) main.invoke(null, (Object) args));
  }

  private static Path agentJar() throws URISyntaxException {
    return Paths.get(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
