package io.tracelight.instrumentation.api;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * The application's own {@code io.tracelight.api.Tracelight} (the {@code tracelight-api} jar): its
 * methods do nothing by themselves; here they get the agent's behaviour, the way an OpenTelemetry
 * agent brings the OpenTelemetry API to life. Nothing is injected into the application's loader.
 */
public final class TracelightApiModule implements InstrumentationModule {
  static final String API = "io.tracelight.api.Tracelight";
  private static final String ADVICE = "io.tracelight.instrumentation.api.";

  @Override
  public String name() {
    return "tracelight-api";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new TypeInstrumentation() {
      @Override
      public List<String> typeNames() {
        return Collections.singletonList(API);
      }

      @Override
      public void transform(TypeTransformer t) {
        t.applyAdviceToMethod(MethodMatcher.named("lastCall").takesArguments(0), ADVICE + "LastCallAdvice");
        t.applyAdviceToMethod(MethodMatcher.named("feedback").takesArguments(3).takesArgument(0, "java.lang.String")
            .takesArgument(1, "double").takesArgument(2, "java.lang.String"), ADVICE + "FeedbackAdvice");
        t.applyAdviceToMethod(MethodMatcher.named("outcome").takesArguments(2).takesArgument(0, "java.lang.String")
            .takesArgument(1, "java.lang.String"), ADVICE + "OutcomeTextAdvice");
        t.applyAdviceToMethod(MethodMatcher.named("outcome").takesArguments(2).takesArgument(0, "java.lang.String")
            .takesArgument(1, "double"), ADVICE + "OutcomeNumberAdvice");
        t.applyAdviceToMethod(MethodMatcher.named("session").takesArguments(2).takesArgument(0, "java.lang.String")
            .takesArgument(1, "java.lang.String"), ADVICE + "SessionAdvice");
      }
    });
  }
}
