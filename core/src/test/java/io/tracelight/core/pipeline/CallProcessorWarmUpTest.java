package io.tracelight.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.ProviderHosts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallProcessorWarmUpTest {
  @Test
  void warmUpRunsTheRecordPathWithoutLeavingATrace() {
    Metrics metrics = new Metrics();
    List<AiCall> exported = new ArrayList<>();
    Exporter collect = new Exporter() {
      @Override
      public String name() {
        return "collect";
      }

      @Override
      public void export(AiCall call) {
        exported.add(call);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    long errorsBefore = InternalErrors.count();

    new CallProcessor(metrics, Collections.singletonList(collect), new ProviderHosts("")).warmUp();

    assertEquals(errorsBefore, InternalErrors.count(), "the warm-up ran to its end");
    assertTrue(metrics.all().isEmpty(), "no statistics from the warm-up");
    assertTrue(exported.isEmpty(), "no record from the warm-up");
  }
}
