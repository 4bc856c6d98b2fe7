package io.tracelight.core.instrumentation;

import java.io.IOException;
import java.io.InputStream;

/** Class files read as resources, so that nothing is loaded to look at a class. */
final class ClassFiles {
  private ClassFiles() {}

  /**
   * The class file of {@code internalName} as {@code loader} (null: the boot loader) would find it,
   * or null. Class files are never encapsulated by modules, so the JDK's are found too.
   */
  static byte[] read(ClassLoader loader, String internalName) {
    String resource = internalName + ".class";
    try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
        : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
