package io.tracelight.instrumentation.urlconnection;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}: the JDK's one implementation,
 * {@code sun.net.www.protocol.http.HttpURLConnection}, does the work for both (the HTTPS class
 * delegates to a subclass of it). Four public methods are hooked, none of its internals:
 * {@code getOutputStream} (the request body is teed), {@code getInputStream} (every response
 * read, {@code getResponseCode} and {@code getHeaderField} included, passes through it),
 * {@code getErrorStream} and {@code disconnect}.
 *
 * <p>The class is in {@code java.base}; like every woven class it is named exactly, and its
 * advice is not inlined and uses only the public {@code java.net.HttpURLConnection} API and its
 * protected {@code responseCode}.
 */
public final class UrlConnectionModule implements InstrumentationModule {
  static final String TARGET = "sun.net.www.protocol.http.HttpURLConnection";

  @Override
  public String name() {
    return "url-connection";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new ConnectionInstrumentation());
  }

  static final class ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList(TARGET);
    }

    @Override
    public void transform(TypeTransformer transformer) {
      String pkg = "io.tracelight.instrumentation.urlconnection.";
      transformer.applyAdviceToMethod(MethodMatcher.named("getOutputStream").takesArguments(0), pkg + "GetOutputStreamAdvice");
      transformer.applyAdviceToMethod(MethodMatcher.named("getInputStream").takesArguments(0), pkg + "GetInputStreamAdvice");
      transformer.applyAdviceToMethod(MethodMatcher.named("getErrorStream").takesArguments(0), pkg + "GetErrorStreamAdvice");
      transformer.applyAdviceToMethod(MethodMatcher.named("disconnect").takesArguments(0), pkg + "DisconnectAdvice");
    }
  }
}
