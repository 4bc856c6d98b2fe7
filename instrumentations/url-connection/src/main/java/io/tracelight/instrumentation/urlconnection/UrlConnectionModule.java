package io.tracelight.instrumentation.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}: the JDK's one implementation,
 * {@code sun.net.www.protocol.http.HttpURLConnection}, does the work for both (the HTTPS class
 * delegates to a subclass of it). Four public methods are hooked, none of its internals:
 * {@code getOutputStream} (the request body is teed), {@code getInputStream} (every response
 * read, {@code getResponseCode} and {@code getHeaderField} included, passes through it),
 * {@code getErrorStream} and {@code disconnect}.
 *
 * <p>The class is in {@code java.base}, which the transformer otherwise leaves alone; it is woven
 * because this module names it exactly ({@link #jdkClasses}), with non-inlined advice that uses
 * only the public {@code java.net.HttpURLConnection} API and its protected {@code responseCode}.
 */
public final class UrlConnectionModule implements InstrumentationModule {
  static final String TARGET = "sun.net.www.protocol.http.HttpURLConnection";

  @Override
  public String name() {
    return "url-connection";
  }

  @Override
  public List<String> jdkClasses() {
    return Collections.singletonList(TARGET);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new ConnectionInstrumentation());
  }

  static final class ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named(TARGET);
    }

    @Override
    public void transform(TypeTransformer transformer) {
      String pkg = "io.tracelight.instrumentation.urlconnection.";
      transformer.applyAdviceToMethod(named("getOutputStream").and(takesArguments(0)), pkg + "GetOutputStreamAdvice");
      transformer.applyAdviceToMethod(named("getInputStream").and(takesArguments(0)), pkg + "GetInputStreamAdvice");
      transformer.applyAdviceToMethod(named("getErrorStream").and(takesArguments(0)), pkg + "GetErrorStreamAdvice");
      transformer.applyAdviceToMethod(named("disconnect").and(takesArguments(0)), pkg + "DisconnectAdvice");
    }
  }
}
