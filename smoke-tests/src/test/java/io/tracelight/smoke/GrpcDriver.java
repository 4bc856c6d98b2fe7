package io.tracelight.smoke;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application that calls model servers over gRPC (Netty): Triton's and KServe's
 * {@code ModelInfer} and TF Serving's {@code Predict}, with messages in their protos' wire format
 * (written and read with protobuf-java's coded streams, as generated classes would). The servers
 * stand in for Triton and TF Serving in the same JVM, on a loopback port: a fraud scorer answering
 * {@code p(fraud) = 1 / (1 + e^-z)}. It prints the probabilities it decodes from the answers, so
 * runs with and without the agent must print the same.
 */
public final class GrpcDriver {
  static final String INFER = "inference.GRPCInferenceService/ModelInfer";
  static final String PREDICT = "tensorflow.serving.PredictionService/Predict";
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<byte[]>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };
  static final float[][] ROWS = {{1.0f, 0.5f, 0.2f, 3.0f}, {0.1f, 2.5f, 0.0f, 0.4f}, {4.0f, 0.1f, 1.5f, 2.0f}};

  public static void main(String[] args) throws Exception {
    Server server = ServerBuilder.forPort(0)
        .addService(service("inference.GRPCInferenceService", method(INFER), GrpcDriver::modelInfer))
        .addService(service("tensorflow.serving.PredictionService", method(PREDICT), GrpcDriver::predict))
        .build().start();
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      byte[] inferAnswer = ClientCalls.blockingUnaryCall(channel, method(INFER), CallOptions.DEFAULT,
          inferRequest("fraud", "4", ROWS));
      print("infer", inferProbabilities(inferAnswer));
      byte[] predictAnswer = ClientCalls.blockingUnaryCall(channel, method(PREDICT), CallOptions.DEFAULT,
          predictRequest("fraud", 7, new float[][] {ROWS[0], ROWS[2]}));
      print("predict", predictProbabilities(predictAnswer));
      try {
        ClientCalls.blockingUnaryCall(channel, method(INFER), CallOptions.DEFAULT,
            inferRequest("missing", "", new float[][] {ROWS[1]}));
      } catch (StatusRuntimeException e) {
        System.out.println("missing " + e.getStatus().getCode());
      }
    } finally {
      channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(name).setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  interface Answer {
    byte[] answer(byte[] request) throws Exception;
  }

  static ServerServiceDefinition service(String name, MethodDescriptor<byte[], byte[]> method, Answer answer) {
    return ServerServiceDefinition.builder(name).addMethod(method, ServerCalls.asyncUnaryCall((request, observer) -> {
      try {
        observer.onNext(answer.answer(request));
        observer.onCompleted();
      } catch (StatusRuntimeException e) {
        observer.onError(e);
      } catch (Exception e) {
        observer.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      }
    })).build();
  }

  static double fraud(float[] x) {
    double z = -2.0 + 0.8 * x[0] - 0.5 * x[1] + 1.2 * x[2] + 0.3 * x[3];
    return 1 / (1 + Math.exp(-z));
  }

  // Triton / KServe v2: ModelInferRequest {model_name 1, model_version 2, inputs 5 {name 1, datatype 2,
  // shape 3}, raw_input_contents 7}; ModelInferResponse {model_name 1, model_version 2, outputs 5
  // {name 1, datatype 2, shape 3}, raw_output_contents 6}.

  static byte[] inferRequest(String model, String version, float[][] rows) throws IOException {
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(tensor);
    t.writeString(1, "features");
    t.writeString(2, "FP32");
    t.writeInt64(3, rows.length);
    t.writeInt64(3, rows[0].length);
    t.flush();
    ByteBuffer raw = ByteBuffer.allocate(rows.length * rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : rows) {
      for (float f : row) {
        raw.putFloat(f);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeString(1, model);
    if (!version.isEmpty()) {
      o.writeString(2, version);
    }
    o.writeByteArray(5, tensor.toByteArray());
    o.writeByteArray(7, raw.array());
    o.flush();
    return out.toByteArray();
  }

  static byte[] modelInfer(byte[] request) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(request);
    String model = null;
    String version = "1";
    long[] shape = new long[2];
    byte[] raw = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1: model = in.readString(); break;
        case 2: version = in.readString(); break;
        case 5:
          CodedInputStream t = CodedInputStream.newInstance(in.readByteArray());
          int dims = 0;
          for (int tt; (tt = t.readTag()) != 0; ) {
            if (tt >>> 3 == 3) {
              shape[dims++] = t.readInt64();
            } else {
              t.skipField(tt);
            }
          }
          break;
        case 7: raw = in.readByteArray(); break;
        default: in.skipField(tag);
      }
    }
    if (!"fraud".equals(model)) {
      throw Status.NOT_FOUND.withDescription("Request for unknown model: '" + model + "' is not found")
          .asRuntimeException();
    }
    ByteBuffer features = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int rows = (int) shape[0];
    ByteBuffer probabilities = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> labels = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      float[] x = new float[(int) shape[1]];
      for (int i = 0; i < x.length; i++) {
        x[i] = features.getFloat();
      }
      float p = (float) fraud(x);
      probabilities.putFloat(1 - p).putFloat(p);
      labels.add(p >= 0.5f ? 1L : 0L);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeString(1, model);
    o.writeString(2, version);
    o.writeByteArray(5, outputTensor("probabilities", "FP32", new long[] {rows, 2}, null));
    o.writeByteArray(5, outputTensor("label", "INT64", new long[] {rows}, null));
    ByteBuffer labelBytes = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long label : labels) {
      labelBytes.putLong(label);
    }
    o.writeByteArray(6, probabilities.array()); // raw_output_contents, one per output in order
    o.writeByteArray(6, labelBytes.array());
    o.flush();
    return out.toByteArray();
  }

  static byte[] outputTensor(String name, String type, long[] shape, List<Long> int64) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(b);
    t.writeString(1, name);
    t.writeString(2, type);
    for (long d : shape) {
      t.writeInt64(3, d);
    }
    if (int64 != null) {
      ByteArrayOutputStream c = new ByteArrayOutputStream();
      CodedOutputStream contents = CodedOutputStream.newInstance(c);
      for (long v : int64) {
        contents.writeInt64(3, v);
      }
      contents.flush();
      t.writeByteArray(5, c.toByteArray());
    }
    t.flush();
    return b.toByteArray();
  }

  /** The probability of fraud of each row, from the first raw output (the second is the labels). */
  static List<Float> inferProbabilities(byte[] response) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(response);
    List<Float> fraud = new ArrayList<>();
    boolean first = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 6 && first) {
        first = false;
        ByteBuffer b = ByteBuffer.wrap(in.readByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 8) {
          b.getFloat();
          fraud.add(b.getFloat());
        }
      } else {
        in.skipField(tag);
      }
    }
    return fraud;
  }

  // TF Serving: PredictRequest {model_spec 1 {name 1, version 2 {value 1}, signature_name 3}, inputs 2
  // (map entries {key 1, value 2 TensorProto {dtype 1, tensor_shape 2 {dim 2 {size 1}}, float_val 5}})};
  // PredictResponse {outputs 1 (map entries), model_spec 2}, TensorProto's tensor_content 4.

  static byte[] predictRequest(String model, long version, float[][] rows) throws IOException {
    ByteArrayOutputStream spec = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(spec);
    s.writeString(1, model);
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    CodedOutputStream vo = CodedOutputStream.newInstance(v);
    vo.writeInt64(1, version);
    vo.flush();
    s.writeByteArray(2, v.toByteArray());
    s.writeString(3, "serving_default");
    s.flush();
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(tensor);
    t.writeEnum(1, 1); // DT_FLOAT
    t.writeByteArray(2, shape(rows.length, rows[0].length));
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    CodedOutputStream p = CodedOutputStream.newInstance(packed);
    for (float[] row : rows) {
      for (float f : row) {
        p.writeFloatNoTag(f);
      }
    }
    p.flush();
    t.writeByteArray(5, packed.toByteArray());
    t.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, spec.toByteArray());
    o.writeByteArray(2, entry("x", tensor.toByteArray()));
    o.flush();
    return out.toByteArray();
  }

  static byte[] shape(long... dims) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(b);
    for (long d : dims) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      CodedOutputStream dd = CodedOutputStream.newInstance(dim);
      dd.writeInt64(1, d);
      dd.flush();
      s.writeByteArray(2, dim.toByteArray());
    }
    s.flush();
    return b.toByteArray();
  }

  static byte[] entry(String key, byte[] value) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream e = CodedOutputStream.newInstance(b);
    e.writeString(1, key);
    e.writeByteArray(2, value);
    e.flush();
    return b.toByteArray();
  }

  static byte[] predict(byte[] request) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(request);
    List<Float> values = new ArrayList<>();
    byte[] spec = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 1) {
        spec = in.readByteArray();
      } else if (tag >>> 3 == 2) {
        CodedInputStream e = CodedInputStream.newInstance(in.readByteArray());
        for (int et; (et = e.readTag()) != 0; ) {
          if (et >>> 3 == 2) {
            CodedInputStream t = CodedInputStream.newInstance(e.readByteArray());
            for (int tt; (tt = t.readTag()) != 0; ) {
              if (tt >>> 3 == 5) {
                CodedInputStream packed = CodedInputStream.newInstance(t.readByteArray());
                while (!packed.isAtEnd()) {
                  values.add(packed.readFloat());
                }
              } else {
                t.skipField(tt);
              }
            }
          } else {
            e.skipField(et);
          }
        }
      } else {
        in.skipField(tag);
      }
    }
    int rows = values.size() / 4;
    ByteBuffer content = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      float[] x = {values.get(4 * r), values.get(4 * r + 1), values.get(4 * r + 2), values.get(4 * r + 3)};
      float p = (float) fraud(x);
      content.putFloat(1 - p).putFloat(p);
    }
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(tensor);
    t.writeEnum(1, 1);
    t.writeByteArray(2, shape(rows, 2));
    t.writeByteArray(4, content.array());
    t.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, entry("probabilities", tensor.toByteArray()));
    o.writeByteArray(2, spec);
    o.flush();
    return out.toByteArray();
  }

  static List<Float> predictProbabilities(byte[] response) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(response);
    List<Float> fraud = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 1) {
        CodedInputStream e = CodedInputStream.newInstance(in.readByteArray());
        for (int et; (et = e.readTag()) != 0; ) {
          if (et >>> 3 == 2) {
            CodedInputStream t = CodedInputStream.newInstance(e.readByteArray());
            for (int tt; (tt = t.readTag()) != 0; ) {
              if (tt >>> 3 == 4) {
                ByteBuffer b = ByteBuffer.wrap(t.readByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() >= 8) {
                  b.getFloat();
                  fraud.add(b.getFloat());
                }
              } else {
                t.skipField(tt);
              }
            }
          } else {
            e.skipField(et);
          }
        }
      } else {
        in.skipField(tag);
      }
    }
    return fraud;
  }

  private static void print(String what, List<Float> fraud) {
    StringBuilder b = new StringBuilder(what);
    for (float p : fraud) {
      b.append(' ').append(p);
    }
    System.out.println(b);
  }
}
