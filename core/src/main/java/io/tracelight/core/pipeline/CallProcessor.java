package io.tracelight.core.pipeline;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.StreamDecoder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns an ended {@link Exchange} into an {@link AiCall} (decoding the captured bodies), records
 * its metrics and hands it to the exporters. Runs on the pipeline's agent thread.
 */
public final class CallProcessor {
  private final Metrics metrics;
  private final List<Exporter> exporters;

  public CallProcessor(Metrics metrics, List<Exporter> exporters) {
    this.metrics = metrics;
    this.exporters = exporters;
  }

  public void process(Exchange exchange) {
    AiCall call;
    try {
      call = decode(exchange);
    } catch (Throwable t) {
      InternalErrors.report("call decoding", t);
      return;
    } finally {
      exchange.releaseCaptures();
    }
    metrics.record(call);
    for (Exporter exporter : exporters) {
      try {
        exporter.export(call);
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  public void flush() {
    for (Exporter exporter : exporters) {
      try {
        exporter.flush();
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  public void close() {
    for (Exporter exporter : exporters) {
      try {
        exporter.close();
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  /** Pure: the record for one exchange. */
  public static AiCall decode(Exchange ex) {
    AiCall call = new AiCall();
    call.instrumentation = ex.instrumentation;
    call.operation = ex.protocol.operation();
    call.provider = ex.protocol.provider(ex.host);
    call.serverAddress = ex.host;
    call.serverPort = ex.port;
    call.startEpochNanos = Clock.epochNanos(ex.startNanos);
    call.durationNanos = ex.endNanos() - ex.startNanos;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    call.traceId = hex(random.nextLong()) + hex(random.nextLong());
    call.spanId = hex(random.nextLong());
    call.httpStatus = ex.status();

    if (ex.end() == Exchange.End.FAILED) {
      call.fail(ex.failure().getClass().getName());
    } else if (ex.end() == Exchange.End.CANCELLED) {
      call.fail("cancelled");
    }
    if (ex.requestBytes() != null) {
      try {
        ex.protocol.decodeRequest(ex.requestBytes(), ex.requestLength(), call);
      } catch (Exception e) {
        call.captureTruncated = true; // the app's request is its own business; we just know less
      }
    } else if (ex.requestTruncated()) {
      call.captureTruncated = true;
    }
    if (ex.status() >= 400) {
      call.fail(Integer.toString(ex.status()));
    }

    StreamDecoder stream = ex.stream();
    if (stream != null) {
      call.stream = Boolean.TRUE;
      stream.finish(call);
      if (ex.firstChunkNanos() != 0) {
        call.timeToFirstChunkNanos = ex.firstChunkNanos() - ex.startNanos;
      }
      if (!stream.sawEnd()) {
        call.fail(incompleteReason(ex.end(), "truncated_stream"));
      }
    } else if (ex.responseTruncated()) {
      call.captureTruncated = true;
    } else if (ex.status() > 0 && ex.status() < 300 && !call.error) {
      decodeWholeResponse(ex, call);
    }
    return call;
  }

  private static void decodeWholeResponse(Exchange ex, AiCall call) {
    if (ex.responseLength() == 0) {
      call.fail(incompleteReason(ex.end(), "empty_response"));
      return;
    }
    try {
      ex.protocol.decodeResponse(ex.responseBytes(), ex.responseLength(), call);
    } catch (Exception e) {
      call.fail(incompleteReason(ex.end(), "malformed_response"));
    }
  }

  /** Why a body is incomplete: the application stopped early, or the server sent it so. */
  private static String incompleteReason(Exchange.End end, String whenComplete) {
    switch (end) {
      case CLOSED:
        return "closed_early";
      case ABANDONED:
        return "abandoned";
      default:
        return whenComplete;
    }
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0000000000000000".substring(s.length()) + s;
  }
}
