package io.tracelight.core.protocol.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Paths;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.IOException;

/**
 * TorchServe's inference API: {@code POST /predictions/{name}[/{version}]}. A request is one input
 * (an image, text, JSON: TorchServe batches on the server), so the batch is 1 and the whole
 * response is that input's answer: a class-to-probability map for the stock classifiers, else a
 * row as {@link JsonRows} reads it. A body that is not JSON (plain text, an image) is the model's
 * own business: the record then has no summary, and no error.
 */
@AutoService(Protocol.class)
public final class TorchServeProtocol implements Protocol {
  private static final String PREDICTIONS = "/predictions/";

  @Override
  public String name() {
    return "torchserve";
  }

  @Override
  public String defaultProvider() {
    return null;
  }

  @Override
  public boolean matches(RequestView request) {
    String path = request.path();
    return path.startsWith(PREDICTIONS) && path.length() > PREDICTIONS.length();
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call) {
    Prediction.start(call, "torchserve");
    String rest = request.path().substring(PREDICTIONS.length());
    int slash = rest.indexOf('/');
    call.set(Keys.MODEL_NAME, Paths.decode(slash < 0 ? rest : rest.substring(0, slash)));
    if (slash >= 0 && slash + 1 < rest.length()) {
      String version = rest.substring(slash + 1);
      call.set(Keys.MODEL_VERSION, Paths.decode(version.endsWith("/") ? version.substring(0, version.length() - 1) : version));
    }
    call.set(Keys.BATCH_SIZE, 1L);
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    return null;
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {
    String type = response.contentType();
    if (type != null && !type.contains("json")) {
      return;
    }
    OutputSummary summary = Prediction.summary(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      JsonRows.row(p, summary);
      Json.expectEnd(p);
    } catch (IOException | RuntimeException notJson) {
      call.outputSummary = null; // a handler's own format: no summary
      return;
    }
    Prediction.finish(call, summary);
  }

  /** {@code {"code": 404, "type": "ModelNotFoundException", "message": ...}}: the type. */
  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    String type = Json.errorMember(body, length, "type");
    if (type != null) {
      call.fail(type);
    }
  }
}
