package io.tracelight.instrumentation.onnxruntime;

import io.tracelight.core.protocol.Sha256;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What each live session's model is, read once when the session is made (when it is surely open):
 * where it came from (the file's path, or {@code sha256:} and the hash of the bytes it was made
 * from, hashed on the thread making the session, which is reading and optimising those bytes
 * anyway) and its metadata. Weakly keyed: a closed and dropped session leaves. Written by threads
 * making sessions, read by the application's threads running them; every access holds the map's lock.
 */
final class ModelSources {
  /** One session's model. Immutable. */
  static final class Model {
    final String source;
    final String graphName;
    final String producer;
    final long version;

    Model(String source, String graphName, String producer, long version) {
      this.source = source;
      this.graphName = graphName;
      this.producer = producer;
      this.version = version;
    }
  }

  private static final Map<Object, Model> SOURCES = new WeakHashMap<>();

  private ModelSources() {}

  static void remember(OrtSession session, Object source) {
    String id = null;
    if (source instanceof String) {
      id = (String) source;
    } else if (source instanceof byte[]) {
      id = "sha256:" + Sha256.hex((byte[]) source, 0, ((byte[]) source).length);
    } else if (source instanceof ByteBuffer) {
      Sha256 hash = Sha256.plain();
      hash.update(((ByteBuffer) source).duplicate()); // no copy of a direct or mapped model
      id = "sha256:" + hash.hex();
    }
    String graph = null;
    String producer = null;
    long version = 0;
    try {
      OnnxModelMetadata m = session.getMetadata(); // the session keeps it: the application's own call reads it back
      graph = m.getGraphName();
      producer = m.getProducerName();
      version = m.getVersion();
    } catch (OrtException e) {
      // no metadata: the record names the model by its file
    }
    synchronized (SOURCES) {
      SOURCES.put(session, new Model(id, graph, producer, version));
    }
  }

  /** The session's model, or null when it was made before the agent was there. */
  static Model of(Object session) {
    synchronized (SOURCES) {
      return SOURCES.get(session);
    }
  }
}
