package io.tracelight.instrumentation.grpc;

import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.prediction.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One unary call to a model server over gRPC, read from its messages' protobuf fields by number
 * (KServe's and Triton's {@code grpc_service.proto}, TF Serving's {@code predict.proto},
 * {@code classification.proto}, {@code regression.proto}): the model, version, inputs (names,
 * datatypes, shapes), and the outputs a summary needs. Filled by the application's thread (the
 * request) and gRPC's (the response, the status), which may overlap on a cancelled call, then read
 * on the pipeline thread: every method holds this object's lock.
 */
final class GrpcDetails implements InferenceDetails {
  private static final String[] TF_TYPES = new String[24];

  static {
    TF_TYPES[1] = "FP32";
    TF_TYPES[2] = "FP64";
    TF_TYPES[3] = "INT32";
    TF_TYPES[7] = "BYTES";
    TF_TYPES[9] = "INT64";
    TF_TYPES[10] = "BOOL";
    TF_TYPES[19] = "FP16";
  }

  final ModelMethod method;
  private final String authority;
  private String model;
  private String version;
  private final List<Tensor> inputs = new ArrayList<>();
  private final List<Tensor> outputs = new ArrayList<>();
  /** TF Serving classify: per example, labels and scores; regress: values. */
  private final List<Object[]> classified = new ArrayList<>();
  private final List<Double> regressed = new ArrayList<>();
  private String status;
  private boolean cut;

  GrpcDetails(ModelMethod method, String authority) {
    this.method = method;
    this.authority = authority;
  }

  synchronized void request(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
    if (method == ModelMethod.KSERVE_INFER) {
      while (r.next()) {
        if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
          model = r.string();
        } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
          version = r.string();
        } else if (r.field == 5 && r.wireType == ProtoReader.DELIMITED && inputs.size() < 64) {
          inputs.add(kserveTensor(r.message(), false));
        } else {
          r.skip();
        }
      }
    } else {
      while (r.next()) {
        if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
          modelSpec(r.message());
        } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED && method == ModelMethod.TF_PREDICT
            && inputs.size() < 64) {
          inputs.add(tfEntry(r.message(), false));
        } else {
          r.skip();
        }
      }
    }
    cut |= r.wasCut() && bytes.length >= TracingCall.MAX_BYTES;
  }

  synchronized void response(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
    switch (method) {
      case KSERVE_INFER:
        int raw = 0;
        while (r.next()) {
          if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
            String name = r.string();
            model = model == null ? name : model;
          } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
            String v = r.string();
            version = version == null || version.isEmpty() ? v : version;
          } else if (r.field == 5 && r.wireType == ProtoReader.DELIMITED && outputs.size() < 64) {
            outputs.add(kserveTensor(r.message(), true));
          } else if (r.field == 6 && r.wireType == ProtoReader.DELIMITED) {
            byte[] b = r.bytesField(); // raw_output_contents: one per output, in the outputs' order
            if (raw < outputs.size()) {
              outputs.get(raw).readBinary(b, 0, b.length);
            }
            raw++;
          } else {
            r.skip();
          }
        }
        break;
      case TF_PREDICT:
        while (r.next()) {
          if (r.field == 1 && r.wireType == ProtoReader.DELIMITED && outputs.size() < 64) {
            outputs.add(tfEntry(r.message(), true));
          } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
            modelSpec(r.message());
          } else {
            r.skip();
          }
        }
        break;
      case TF_CLASSIFY:
      case TF_REGRESS:
        while (r.next()) {
          if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
            results(r.message());
          } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
            modelSpec(r.message());
          } else {
            r.skip();
          }
        }
        break;
      default:
    }
    cut |= r.wasCut();
  }

  synchronized void status(String code) {
    status = code;
  }

  /** KServe's {@code InferInputTensor} / {@code InferOutputTensor}: name 1, datatype 2, shape 3, contents 5. */
  private static Tensor kserveTensor(ProtoReader r, boolean data) {
    Tensor t = new Tensor();
    List<Long> shape = new ArrayList<>();
    while (r.next()) {
      if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
        t.name = r.string();
      } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
        t.datatype = r.string();
      } else if (r.field == 3) {
        repeatedVarints(r, shape, false);
      } else if (r.field == 5 && r.wireType == ProtoReader.DELIMITED && data) {
        contents(r.message(), t);
      } else {
        r.skip();
      }
    }
    t.shape = longs(shape);
    return t;
  }

  /** {@code InferTensorContents}: int 2, int64 3, uint 4, uint64 5 (varints), fp32 6, fp64 7, bytes 8. */
  private static void contents(ProtoReader r, Tensor t) {
    while (r.next()) {
      switch (r.field) {
        case 2:
        case 3:
        case 4:
        case 5:
          List<Long> ints = new ArrayList<>();
          repeatedVarints(r, ints, r.field == 2);
          for (Long v : ints) {
            t.addNumber(v);
          }
          break;
        case 6:
          repeatedFixed(r, t, false);
          break;
        case 7:
          repeatedFixed(r, t, true);
          break;
        case 8:
          if (r.wireType == ProtoReader.DELIMITED) {
            t.addString(r.string());
          } else {
            r.skip();
          }
          break;
        default:
          r.skip();
      }
    }
  }

  /** A map entry of TF Serving's {@code map<string, TensorProto>}: key 1, value 2. */
  private static Tensor tfEntry(ProtoReader r, boolean data) {
    Tensor t = new Tensor();
    while (r.next()) {
      if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
        t.name = r.string();
      } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
        tensorProto(r.message(), t, data);
      } else {
        r.skip();
      }
    }
    return t;
  }

  /**
   * {@code TensorProto}: dtype 1, tensor_shape 2 (dim 2, size 1), tensor_content 4 (raw
   * little-endian), float_val 5, double_val 6, int_val 7, string_val 8, int64_val 10.
   */
  private static void tensorProto(ProtoReader r, Tensor t, boolean data) {
    List<Long> shape = new ArrayList<>();
    byte[] content = null;
    while (r.next()) {
      if (r.field == 1 && r.wireType == ProtoReader.VARINT) {
        long dtype = r.varint();
        t.datatype = dtype >= 0 && dtype < TF_TYPES.length && TF_TYPES[(int) dtype] != null ? TF_TYPES[(int) dtype]
            : "DT_" + dtype;
      } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
        ProtoReader s = r.message();
        while (s.next()) {
          if (s.field == 2 && s.wireType == ProtoReader.DELIMITED) {
            ProtoReader dim = s.message();
            long size = -1;
            while (dim.next()) {
              if (dim.field == 1 && dim.wireType == ProtoReader.VARINT) {
                size = dim.varint();
              } else {
                dim.skip();
              }
            }
            shape.add(size);
          } else {
            s.skip();
          }
        }
      } else if (data && r.field == 4 && r.wireType == ProtoReader.DELIMITED) {
        content = r.bytesField();
      } else if (data && (r.field == 5 || r.field == 6)) {
        repeatedFixed(r, t, r.field == 6);
      } else if (data && (r.field == 7 || r.field == 10)) {
        List<Long> ints = new ArrayList<>();
        repeatedVarints(r, ints, r.field == 7);
        for (Long v : ints) {
          t.addNumber(v);
        }
      } else if (data && r.field == 8 && r.wireType == ProtoReader.DELIMITED) {
        t.addString(r.string());
      } else {
        r.skip();
      }
    }
    t.shape = longs(shape);
    if (content != null) {
      t.readBinary(content, 0, content.length);
    }
  }

  /** {@code ModelSpec}: name 1, version 2 ({@code Int64Value}: value 1), version_label 4. */
  private void modelSpec(ProtoReader r) {
    while (r.next()) {
      if (r.field == 1 && r.wireType == ProtoReader.DELIMITED) {
        String name = r.string();
        model = model == null ? name : model;
      } else if (r.field == 2 && r.wireType == ProtoReader.DELIMITED) {
        ProtoReader v = r.message();
        while (v.next()) {
          if (v.field == 1 && v.wireType == ProtoReader.VARINT) {
            String s = Long.toString(v.varint());
            version = version == null ? s : version;
          } else {
            v.skip();
          }
        }
      } else if (r.field == 4 && r.wireType == ProtoReader.DELIMITED) {
        String label = r.string();
        version = version == null ? label : version;
      } else {
        r.skip();
      }
    }
  }

  /**
   * A classify result ({@code classifications} 1, each {@code classes} 1 of label 1 and score 2)
   * or a regress result ({@code regressions} 1, each value 1).
   */
  private void results(ProtoReader r) {
    while (r.next()) {
      if (r.field != 1 || r.wireType != ProtoReader.DELIMITED) {
        r.skip();
        continue;
      }
      ProtoReader one = r.message();
      if (method == ModelMethod.TF_REGRESS) {
        while (one.next()) {
          if (one.field == 1 && one.wireType == ProtoReader.FIXED32) {
            regressed.add((double) Float.intBitsToFloat(one.fixed32()));
          } else {
            one.skip();
          }
        }
        continue;
      }
      List<String> labels = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      while (one.next()) {
        if (one.field == 1 && one.wireType == ProtoReader.DELIMITED) {
          ProtoReader c = one.message();
          String label = null;
          double score = Double.NaN;
          while (c.next()) {
            if (c.field == 1 && c.wireType == ProtoReader.DELIMITED) {
              label = c.string();
            } else if (c.field == 2 && c.wireType == ProtoReader.FIXED32) {
              score = Float.intBitsToFloat(c.fixed32());
            } else {
              c.skip();
            }
          }
          labels.add(label == null ? Integer.toString(labels.size()) : label);
          scores.add(score);
        } else {
          one.skip();
        }
      }
      if (classified.size() < OutputSummary.MAX_ROWS) {
        classified.add(new Object[] {labels.toArray(new String[0]), scores});
      }
    }
  }

  /** A repeated integer field, packed (one delimited run) or not (one value per tag). */
  private static void repeatedVarints(ProtoReader r, List<Long> into, boolean signed32) {
    if (r.wireType == ProtoReader.DELIMITED) {
      ProtoReader packed = r.message();
      while (!packed.atEnd() && into.size() < Tensor.MAX_VALUES) {
        long v = packed.varint();
        if (packed.wasCut()) {
          break; // a varint cut short is no value
        }
        into.add(signed32 ? (long) (int) v : v);
      }
    } else if (r.wireType == ProtoReader.VARINT) {
      long v = r.varint();
      into.add(signed32 ? (long) (int) v : v);
    } else {
      r.skip();
    }
  }

  /** A repeated float or double field, packed or not. */
  private static void repeatedFixed(ProtoReader r, Tensor t, boolean doubles) {
    if (r.wireType == ProtoReader.DELIMITED) {
      ProtoReader packed = r.message();
      while (packed.remaining() >= (doubles ? 8 : 4) && t.numberCount < Tensor.MAX_VALUES) {
        t.addNumber(doubles ? Double.longBitsToDouble(packed.fixed64()) : Float.intBitsToFloat(packed.fixed32()));
      }
    } else if (r.wireType == ProtoReader.FIXED32 && !doubles) {
      t.addNumber(Float.intBitsToFloat(r.fixed32()));
    } else if (r.wireType == ProtoReader.FIXED64 && doubles) {
      t.addNumber(Double.longBitsToDouble(r.fixed64()));
    } else {
      r.skip();
    }
  }

  private static long[] longs(List<Long> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return values.isEmpty() ? null : out;
  }

  @Override
  public synchronized void writeTo(AiCall call, OutputSummary output) {
    call.set(Keys.MODEL_NAME, model);
    call.set(Keys.MODEL_VERSION, version == null || version.isEmpty() ? null : version);
    if (authority != null) {
      int colon = authority.lastIndexOf(':');
      call.set(Keys.SERVER_ADDRESS, colon > 0 ? authority.substring(0, colon) : authority);
      if (colon > 0) {
        try {
          call.set(Keys.SERVER_PORT, Long.parseLong(authority.substring(colon + 1)));
        } catch (NumberFormatException e) {
          // a name without a port
        }
      }
    }
    if (method == ModelMethod.TF_CLASSIFY) {
      call.set(Keys.MODEL_FUNCTION, "classification");
    } else if (method == ModelMethod.TF_REGRESS) {
      call.set(Keys.MODEL_FUNCTION, "regression");
    }
    if (!inputs.isEmpty()) {
      List<String> described = new ArrayList<>();
      for (Tensor t : inputs) {
        described.add(t.describe());
      }
      call.set(Keys.MODEL_INPUTS, described);
      if (inputs.get(0).rows() >= 0) {
        call.set(Keys.BATCH_SIZE, inputs.get(0).rows());
      }
    }
    if (!outputs.isEmpty()) {
      List<String> described = new ArrayList<>();
      for (Tensor t : outputs) {
        described.add(t.describe());
      }
      call.set(Keys.MODEL_OUTPUTS, described);
      Tensor.summarise(outputs, output);
    }
    for (Object[] row : classified) {
      String[] labels = (String[]) row[0];
      @SuppressWarnings("unchecked")
      List<Double> scores = (List<Double>) row[1];
      double[] values = new double[scores.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = scores.get(i);
      }
      output.probabilities(values, 0, values.length, labels);
    }
    for (Double v : regressed) {
      output.value(v);
    }
    if (!classified.isEmpty() || !regressed.isEmpty()) {
      call.setIfAbsent(Keys.BATCH_SIZE, (long) (classified.size() + regressed.size()));
    }
    if (cut) {
      call.truncated();
    }
    if (status != null && !status.equals("OK")) {
      call.fail(status);
    }
  }
}
