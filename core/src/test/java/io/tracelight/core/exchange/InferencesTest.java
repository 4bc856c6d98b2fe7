package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.CallProcessor;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-JVM entry: one record per outermost prediction, per thread, with what the advice copied. */
class InferencesTest {
  private final List<InferenceCall> ended = Collections.synchronizedList(new ArrayList<>());

  private void install() {
    Exchanges.install(new Exchanges.Setup(ExchangeDriver.PROTOCOLS, new ExchangeSink() {
      @Override
      public void accept(Exchange exchange) {}

      @Override
      public void accept(InferenceCall call) {
        ended.add(call);
      }
    }, 1 << 20, new CaptureBudget(1 << 20)));
  }

  @AfterEach
  void uninstall() {
    Exchanges.install(null);
  }

  @Test
  void nestedPredictionsAreOneRecordAndTheNextIsRecordedAgain() {
    install();
    InferenceCall outer = Inferences.start("djl", "djl");
    assertNotNull(outer);
    assertNull(Inferences.start("onnxruntime", "onnxruntime"), "the engine's run inside DJL's predict");
    outer.details((call, output) -> {
      call.set(Keys.MODEL_NAME, "fraud");
      call.set(Keys.BATCH_SIZE, 2L);
      output.probabilities(new double[] {0.2, 0.8, 0.9, 0.1}, 0, 2, new String[] {"legit", "fraud"});
      output.probabilities(new double[] {0.2, 0.8, 0.9, 0.1}, 2, 2, new String[] {"legit", "fraud"});
    });
    Inferences.end(outer, null);
    InferenceCall next = Inferences.start("onnxruntime", "onnxruntime");
    assertNotNull(next, "the thread is free again");
    Inferences.end(next, new IllegalStateException("native failure"));
    assertEquals(2, ended.size());

    AiCall first = CallProcessor.decode(ended.get(0));
    assertEquals("predict", first.get(Keys.PREDICT_OPERATION));
    assertEquals("djl", first.get(Keys.MODEL_RUNTIME));
    assertEquals("djl", first.get(Keys.INSTRUMENTATION));
    assertEquals("fraud", first.get(Keys.MODEL_NAME));
    assertEquals("fraud", first.get(Keys.PREDICTED_CLASS), "first of a tie");
    assertEquals(0.85, first.get(Keys.PREDICTED_CONFIDENCE), 1e-12);
    assertEquals(2, first.outputSummary.rows());
    assertEquals(ended.get(0).endNanos() - ended.get(0).startNanos, first.durationNanos);
    assertEquals(32, first.traceId.length());

    AiCall failed = CallProcessor.decode(ended.get(1));
    assertTrue(failed.error);
    assertEquals("java.lang.IllegalStateException", failed.get(Keys.ERROR_TYPE));
    assertNull(failed.outputSummary);
  }

  @Test
  void eachThreadHasItsOwnPredictionUnderWay() throws Exception {
    install();
    InferenceCall mine = Inferences.start("tribuo", "tribuo");
    CountDownLatch done = new CountDownLatch(1);
    InferenceCall[] theirs = new InferenceCall[1];
    Thread other = new Thread(() -> {
      theirs[0] = Inferences.start("tribuo", "tribuo");
      Inferences.end(theirs[0], null);
      done.countDown();
    });
    other.start();
    done.await();
    assertNotNull(theirs[0], "another thread's prediction is not nested in this one");
    Inferences.end(mine, null);
    assertEquals(2, ended.size());
  }

  @Test
  void nothingIsRecordedBeforeTheAgentIsSetUp() {
    Exchanges.install(null);
    assertNull(Inferences.start("pmml", "pmml"));
    Inferences.end(null, null); // what the advice does then: nothing
  }
}
