package io.tracelight.instrumentation.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TF Serving's Classify and Regress answers and a cut message, read by field number from bytes
 * written with protobuf-java (the field numbers of classification.proto, regression.proto and
 * model.proto).
 */
class GrpcDetailsTest {
  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] modelSpec(String name, long version) throws IOException {
    return message(o -> {
      o.writeString(1, name);
      o.writeByteArray(2, message(v -> v.writeInt64(1, version)));
    });
  }

  @Test
  void classifyGivesEachExamplesTopLabelAndScore() throws Exception {
    byte[] response = message(o -> {
      o.writeByteArray(1, message(result -> { // ClassificationResult
        result.writeByteArray(1, message(c -> { // Classifications of example 1
          c.writeByteArray(1, message(k -> {
            k.writeString(1, "legit");
            k.writeFloat(2, 0.75f);
          }));
          c.writeByteArray(1, message(k -> {
            k.writeString(1, "fraud");
            k.writeFloat(2, 0.25f);
          }));
        }));
        result.writeByteArray(1, message(c -> { // example 2
          c.writeByteArray(1, message(k -> {
            k.writeString(1, "legit");
            k.writeFloat(2, 0.125f);
          }));
          c.writeByteArray(1, message(k -> {
            k.writeString(1, "fraud");
            k.writeFloat(2, 0.875f);
          }));
        }));
      }));
      o.writeByteArray(2, modelSpec("fraud", 9));
    });
    GrpcDetails details = new GrpcDetails(ModelMethod.TF_CLASSIFY, "models.internal:8500");
    details.request(message(o -> o.writeByteArray(1, modelSpec("fraud", 9))));
    details.response(response);
    details.status("OK");
    AiCall call = new AiCall();
    OutputSummary output = new OutputSummary();
    details.writeTo(call, output);
    output.writeTo(call);
    assertEquals("fraud", call.get(Keys.MODEL_NAME));
    assertEquals("9", call.get(Keys.MODEL_VERSION));
    assertEquals("models.internal", call.get(Keys.SERVER_ADDRESS));
    assertEquals(8500L, call.get(Keys.SERVER_PORT));
    assertEquals("classification", call.get(Keys.MODEL_FUNCTION));
    assertEquals(2L, call.get(Keys.BATCH_SIZE));
    assertEquals("legit", call.get(Keys.PREDICTED_CLASS), "first of a tie");
    assertEquals((0.75 + 0.875) / 2, call.get(Keys.PREDICTED_CONFIDENCE), 1e-9);
  }

  @Test
  void regressGivesTheValuesAndAFailedStatusIsTheErrorType() throws Exception {
    byte[] response = message(o -> o.writeByteArray(1, message(result -> {
      for (float v : new float[] {312.5f, 689.25f}) {
        result.writeByteArray(1, message(r -> r.writeFloat(1, v)));
      }
    })));
    GrpcDetails details = new GrpcDetails(ModelMethod.TF_REGRESS, "localhost");
    details.response(response);
    details.status("DEADLINE_EXCEEDED");
    AiCall call = new AiCall();
    OutputSummary output = new OutputSummary();
    details.writeTo(call, output);
    output.writeTo(call);
    assertEquals((312.5 + 689.25) / 2, call.get(Keys.PREDICTED_VALUE), 1e-9);
    assertEquals(312.5, call.get(Keys.PREDICTED_VALUE_MIN), 1e-9);
    assertTrue(call.error);
    assertEquals("DEADLINE_EXCEEDED", call.get(Keys.ERROR_TYPE));
    assertEquals("localhost", call.get(Keys.SERVER_ADDRESS));
  }

  @Test
  void aRequestCutAfterItsHeaderKeepsWhatCameFirst() throws Exception {
    byte[] whole = message(o -> {
      o.writeString(1, "resnet");
      o.writeString(2, "2");
      o.writeByteArray(5, message(t -> {
        t.writeString(1, "image");
        t.writeString(2, "FP32");
        t.writeByteArray(3, message(packed -> { // shape, packed as protobuf-java writes repeated int64
          for (long d : new long[] {8, 3, 224, 224}) {
            packed.writeInt64NoTag(d);
          }
        }));
      }));
      o.writeByteArray(7, new byte[TracingCall.MAX_BYTES]); // raw_input_contents: the image batch
    });
    byte[] first = java.util.Arrays.copyOf(whole, TracingCall.MAX_BYTES); // what the call reads of it
    GrpcDetails details = new GrpcDetails(ModelMethod.KSERVE_INFER, "triton:8001");
    details.request(first);
    details.status("OK");
    AiCall call = new AiCall();
    details.writeTo(call, new OutputSummary());
    assertEquals("resnet", call.get(Keys.MODEL_NAME));
    assertEquals("2", call.get(Keys.MODEL_VERSION));
    assertEquals(List.of("image:FP32[8,3,224,224]"), call.get(Keys.MODEL_INPUTS));
    assertEquals(8L, call.get(Keys.BATCH_SIZE));
    assertEquals(Boolean.TRUE, call.get(Keys.CAPTURE_TRUNCATED), "the record says it read only the first part");
  }
}
