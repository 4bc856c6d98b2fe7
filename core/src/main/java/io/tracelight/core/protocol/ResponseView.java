package io.tracelight.core.protocol;

/** What a protocol may know of a response besides its body: its status and declared headers. */
public interface ResponseView {
  int status();

  /** The {@code Content-Type} header, or null. */
  String contentType();

  /** A response header's first value, or null when absent, secret or not declared. */
  String header(String name);
}
