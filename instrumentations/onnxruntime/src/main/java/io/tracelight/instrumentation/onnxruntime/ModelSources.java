package io.tracelight.instrumentation.onnxruntime;

import io.tracelight.core.protocol.Sha256;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where each live session's model came from: the file's path, or {@code sha256:} and the hash of
 * the bytes it was made from (hashed once, on the thread making the session, which is reading and
 * optimising those bytes anyway). Weakly keyed: a closed and dropped session leaves. Written by
 * threads making sessions, read by the pipeline thread; every access holds the map's lock.
 */
final class ModelSources {
  private static final Map<Object, String> SOURCES = new WeakHashMap<>();

  private ModelSources() {}

  static void remember(Object session, Object source) {
    String id = null;
    if (source instanceof String) {
      id = (String) source;
    } else if (source instanceof byte[]) {
      id = "sha256:" + Sha256.hex((byte[]) source, 0, ((byte[]) source).length);
    } else if (source instanceof ByteBuffer) {
      ByteBuffer b = ((ByteBuffer) source).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      id = "sha256:" + Sha256.hex(bytes, 0, bytes.length);
    }
    if (id != null) {
      synchronized (SOURCES) {
        SOURCES.put(session, id);
      }
    }
  }

  static String of(Object session) {
    synchronized (SOURCES) {
      return SOURCES.get(session);
    }
  }
}
