package io.tracelight.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent that loads the classes Tracelight loads in the start-up probe, from Tracelight's jar
 * through Tracelight's own class loader, and does nothing else: no transformer, no thread, no
 * class initialised. What it costs over {@link NoOpAgent} is the price of Tracelight's code size
 * alone (reading, defining and verifying its classes, and the JIT work that drives), a floor under
 * Tracelight's start-up that no change to what the agent does can lower; only fewer classes can.
 */
public final class ClassesOnlyAgent {
  private ClassesOnlyAgent() {}

  /** {@code args}: the agent jar's path, {@code |}, the file listing one class name per line. */
  public static void premain(String args, Instrumentation inst) throws Exception {
    int bar = args.indexOf('|');
    Path agentJar = Paths.get(args.substring(0, bar));
    List<String> names = Files.readAllLines(Paths.get(args.substring(bar + 1)), StandardCharsets.UTF_8);
    URL url = agentJar.toUri().toURL();
    ClassLoader bootstrap = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
    Constructor<?> make = bootstrap.loadClass("io.tracelight.bootstrap.AgentClassLoader")
        .getConstructor(JarFile.class, URL.class);
    ClassLoader agentLoader = (ClassLoader) make.newInstance(new JarFile(agentJar.toFile()), url);
    for (String name : names) {
      Class.forName(name, false, name.startsWith("io.tracelight.bootstrap.") ? bootstrap : agentLoader);
    }
  }

  /**
   * The Tracelight classes a {@code -Xlog:class+load} log of the probe shows loaded from the
   * agent jar, in order.
   */
  static List<String> classesFromLog(Path log, Path agentJar) throws Exception {
    Pattern line = Pattern.compile("\\] (\\S+) source: (.*)$");
    String jarName = agentJar.getFileName().toString();
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = line.matcher(l);
      if (m.find() && m.group(2).endsWith(jarName) && m.group(1).startsWith("io.tracelight.")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** Writes the agent's jar into {@code dir}. */
  static Path writeJar(Path dir) throws Exception {
    Path jar = dir.resolve("classes-only-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ClassesOnlyAgent.class.getName());
    String entry = ClassesOnlyAgent.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = ClassesOnlyAgent.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
