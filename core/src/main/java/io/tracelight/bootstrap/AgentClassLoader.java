package io.tracelight.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes, which the jar stores under {@code inst/} as {@code .classdata}
 * entries so that the application's class loaders never see them. Its parent is the platform
 * loader: the agent sees the JDK and the bootstrap package, and nothing of the application.
 */
public final class AgentClassLoader extends ClassLoader {
  static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final URL jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(JarFile jar, URL jarUrl) {
    super(ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    this.jarUrl = jarUrl;
    this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classBytes(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    definePackageOnce(name);
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  private byte[] classBytes(String className) {
    JarEntry entry = jar.getJarEntry(PREFIX + className.replace('.', '/') + ".classdata");
    if (entry == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(entry.getSize(), 256));
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      return null;
    }
  }

  private void definePackageOnce(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String pkg = className.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // another thread defined it first
        }
      }
    }
  }

  /** Resource names are mapped onto {@code inst/}; class files onto their {@code .classdata}. */
  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL("jar", "", -1, jarUrl + "!/" + entryName, entries);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  /** Where the jar keeps a resource: under {@code inst/}, class files as {@code .classdata}. */
  private static String entryName(String name) {
    return name.endsWith(".class")
        ? PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata"
        : PREFIX + name;
  }

  /** Read straight from the open jar: a {@code jar:} URL would open (and index) the jar again. */
  @Override
  public InputStream getResourceAsStream(String name) {
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry == null) {
      return super.getResourceAsStream(name);
    }
    try {
      return jar.getInputStream(entry);
    } catch (IOException e) {
      return null;
    }
  }

  private final URLStreamHandler entries = new Entries();

  /**
   * Opens this loader's resource URLs on the jar it already has open. {@code ServiceLoader} reads
   * through URLs with caching off, which for a {@code jar:} URL opens and indexes the whole jar
   * once per services file.
   */
  private final class Entries extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) {
      return new EntryConnection(url);
    }
  }

  /** One entry of the open jar, named after {@code !/} in the URL. */
  private final class EntryConnection extends URLConnection {
    EntryConnection(URL url) {
      super(url);
    }

    @Override
    public void connect() {}

    @Override
    public InputStream getInputStream() throws IOException {
      String file = url.getFile();
      JarEntry entry = jar.getJarEntry(file.substring(file.indexOf("!/") + 2));
      if (entry == null) {
        throw new java.io.FileNotFoundException(file);
      }
      return jar.getInputStream(entry);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }
}
