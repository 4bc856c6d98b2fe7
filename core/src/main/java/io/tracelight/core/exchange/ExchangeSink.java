package io.tracelight.core.exchange;

/** Where finished exchanges go: the pipeline, or a list in tests. Must not block. */
public interface ExchangeSink {
  void accept(Exchange exchange);
}
