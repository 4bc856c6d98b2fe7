package io.tracelight.instrumentation.apachehttpclient5;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * Around the async client's {@code doExecute}: the request producer and response consumer are
 * swapped for wrappers that see the call as it happens. Dispatched by invokedynamic; signatures
 * hold only library and JDK types.
 */
public final class AsyncDoExecuteAdvice {
  private AsyncDoExecuteAdvice() {}

  /** Returns {producer, consumer} to use instead, or null (nothing is assigned). */
  @Advice.OnMethodEnter(inline = false, suppress = Throwable.class)
  @Advice.AssignReturned.ToArguments({
      @Advice.AssignReturned.ToArguments.ToArgument(value = 1, index = 0, typing = Assigner.Typing.DYNAMIC),
      @Advice.AssignReturned.ToArguments.ToArgument(value = 2, index = 1, typing = Assigner.Typing.DYNAMIC)})
  public static Object[] enter(@Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) AsyncRequestProducer producer, @Advice.Argument(2) AsyncResponseConsumer<?> consumer) {
    return AsyncWrapping.wrap(target, producer, consumer);
  }

  @Advice.OnMethodExit(inline = false, suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(@Advice.Argument(2) AsyncResponseConsumer<?> consumer, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      AsyncWrapping.failed(consumer, thrown);
    }
  }
}
