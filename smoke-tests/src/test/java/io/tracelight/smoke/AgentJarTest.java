package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The jar users attach: small, self-contained, and showing the application nothing but its entry point. */
class AgentJarTest {
  @Test
  void manifestNamesTheEntryPoints() throws Exception {
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("io.tracelight.bootstrap.AgentLauncher", main.getValue("Premain-Class"));
      assertEquals("io.tracelight.bootstrap.AgentLauncher", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
    }
  }

  @Test
  void onlyTheLauncherIsAPlainClassEverythingElseIsHiddenAndRelocated() throws Exception {
    List<String> plainClasses = new ArrayList<>();
    List<String> unrelocated = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class")) {
          plainClasses.add(name);
        }
        if (name.endsWith(".classdata") && !name.startsWith("inst/io/tracelight/")) {
          unrelocated.add(name);
        }
      }
    }
    assertEquals(List.of("io/tracelight/bootstrap/AgentClassLoader$Entries.class",
            "io/tracelight/bootstrap/AgentClassLoader$EntryConnection.class", "io/tracelight/bootstrap/AgentClassLoader.class",
            "io/tracelight/bootstrap/AgentLauncher.class"),
        plainClasses.stream().sorted().toList());
    assertEquals(List.of(), unrelocated, "every bundled library is relocated under io.tracelight");
  }

  @Test
  void staysUnderFiveMebibytes() throws Exception {
    long size = Files.size(ForkedJvm.AGENT_JAR);
    System.out.println("[smoke] tracelight-agent.jar is " + size + " bytes");
    // ~1.2 MB of code and libraries, plus ~2.6 MB of compressed tokenizer vocabularies (GPT-4o and GPT-4)
    assertTrue(size < 5L * 1024 * 1024, "agent jar is " + size + " bytes");
  }
}
