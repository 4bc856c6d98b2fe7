package io.tracelight.core.instrumentation;

import java.util.List;

/** The classes to weave, named exactly, plus the advice to apply to their methods. */
public interface TypeInstrumentation {
  /**
   * Binary names of the classes to weave ({@code okhttp3.OkHttpClient}, {@code a.B$Inner}). Only
   * exact names: a loaded class is looked up in a map of them, so matching costs the same
   * whatever the number of modules, and no class is parsed unless it is to be woven.
   */
  List<String> typeNames();

  void transform(TypeTransformer transformer);
}
