package io.tracelight.instrumentation.onnxruntime;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.FeatureValues;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.prediction.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One {@code OrtSession.run}, copied on the application's thread while its tensors are open: the
 * model's metadata (which the session keeps after its first read), each input's name, type and
 * shape (its data only with {@code tracelight.capture.features}: the first input's, as features), each output's name, type and shape, and the elements of outputs of at
 * most {@value #MAX_ELEMENTS} elements (a classifier's labels and probabilities; a bigger output,
 * an image or an embedding, is described, not copied). A scikit-learn classifier's sequence of
 * class-to-probability maps is read for its first {@value #MAX_MAP_ROWS} rows. Turned into
 * attributes on the pipeline thread, where nothing of ONNX Runtime is touched.
 */
final class OnnxDetails implements InferenceDetails {
  static final int MAX_TENSORS = 16;
  static final int MAX_ELEMENTS = 16384;
  static final int MAX_MAP_ROWS = 1024;

  /** Only a key for {@link ModelSources}: no ONNX Runtime method is called on it later. */
  private final Object session;
  private final List<Tensor> inputs = new ArrayList<>(2);
  private final List<Tensor> outputs = new ArrayList<>(2);
  /** A sequence of maps (scikit-learn's ZipMap): per row, the classes and their probabilities. */
  private List<Object[]> mapRows;

  private OnnxDetails(Object session) {
    this.session = session;
  }

  /**
   * @param failed true when {@code run} threw: then no ONNX Runtime method is called (the session
   *     may be closed), only the session's remembered model is named
   */
  static OnnxDetails copy(OrtSession session, Map<String, ?> inputs, OrtSession.Result result, boolean failed) {
    OnnxDetails d = new OnnxDetails(session);
    if (failed) {
      return d;
    }
    if (inputs != null) {
      for (Map.Entry<String, ?> e : inputs.entrySet()) {
        if (d.inputs.size() == MAX_TENSORS) {
          break;
        }
        Object v = e.getValue();
        if (v instanceof OnnxTensorLike) {
          TensorInfo info = ((OnnxTensorLike) v).getInfo();
          Tensor in = new Tensor(e.getKey(), info.type.name(), info.getShape());
          d.inputs.add(in);
          if (d.inputs.size() == 1 && v instanceof OnnxTensor && FeatureValues.enabled()
              && info.getNumElements() <= MAX_ELEMENTS && in.shape.length <= 2) {
            copy((OnnxTensor) v, info, in); // the first input's numbers, as features
          }
        } else {
          d.inputs.add(new Tensor(e.getKey(), null, null));
        }
      }
    }
    if (result != null) {
      for (Map.Entry<String, OnnxValue> e : result) {
        if (d.outputs.size() == MAX_TENSORS) {
          break;
        }
        d.output(e.getKey(), e.getValue());
      }
    }
    return d;
  }

  private void output(String name, OnnxValue value) {
    if (value instanceof OnnxTensor) {
      OnnxTensor t = (OnnxTensor) value;
      TensorInfo info = t.getInfo();
      Tensor out = new Tensor(name, info.type.name(), info.getShape());
      outputs.add(out);
      if (info.getNumElements() <= MAX_ELEMENTS) {
        copy(t, info, out);
      }
    } else if (value instanceof OnnxSequence && ((OnnxSequence) value).getInfo().isSequenceOfMaps()) {
      outputs.add(new Tensor(name, "SEQUENCE_OF_MAPS", null));
      maps((OnnxSequence) value);
    } else {
      outputs.add(new Tensor(name, value == null ? null : value.getType().name(), null));
    }
  }

  private static void copy(OnnxTensor t, TensorInfo info, Tensor out) {
    try {
      switch (info.type) {
        case FLOAT: {
          FloatBuffer b = t.getFloatBuffer();
          while (b != null && b.hasRemaining()) {
            out.addNumber(b.get());
          }
          break;
        }
        case DOUBLE: {
          DoubleBuffer b = t.getDoubleBuffer();
          while (b != null && b.hasRemaining()) {
            out.addNumber(b.get());
          }
          break;
        }
        case INT64: {
          LongBuffer b = t.getLongBuffer();
          while (b != null && b.hasRemaining()) {
            out.addNumber(b.get());
          }
          break;
        }
        case INT32: {
          IntBuffer b = t.getIntBuffer();
          while (b != null && b.hasRemaining()) {
            out.addNumber(b.get());
          }
          break;
        }
        case STRING:
          strings(t.getValue(), out);
          break;
        default: // booleans, bytes, half floats: not needed for a summary
      }
    } catch (OrtException e) {
      // the tensor could not be read: it is described, not summarised
    }
  }

  private static void strings(Object value, Tensor out) {
    if (value instanceof String) {
      out.addString((String) value);
    } else if (value instanceof Object[]) {
      for (Object o : (Object[]) value) {
        strings(o, out);
      }
    }
  }

  /** Reads the first rows' maps; each map read is a new native value, every one closed here. */
  private void maps(OnnxSequence sequence) {
    List<? extends OnnxValue> rows;
    try {
      rows = sequence.getValue();
    } catch (OrtException | RuntimeException e) {
      return;
    }
    mapRows = new ArrayList<>(Math.min(rows.size(), MAX_MAP_ROWS));
    for (int i = 0; i < rows.size(); i++) {
      Object row = rows.get(i);
      try {
        if (i < MAX_MAP_ROWS && row instanceof OnnxMap) {
          Map<?, ?> map = ((OnnxMap) row).getValue();
          String[] classes = new String[map.size()];
          double[] probabilities = new double[map.size()];
          int n = 0;
          for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Number) {
              classes[n] = String.valueOf(e.getKey());
              probabilities[n++] = ((Number) e.getValue()).doubleValue();
            }
          }
          mapRows.add(new Object[] {Arrays.copyOf(classes, n), Arrays.copyOf(probabilities, n)});
        }
      } catch (OrtException | RuntimeException e) {
        // a row that cannot be read: the rows read so far stand
      } finally {
        if (row instanceof OnnxValue) {
          ((OnnxValue) row).close();
        }
      }
    }
  }

  @Override
  public void writeTo(AiCall call, OutputSummary output) {
    ModelSources.Model model = ModelSources.of(session);
    String source = model == null ? null : model.source;
    call.set(Keys.MODEL_NAME, modelName(source, model == null ? null : model.graphName));
    if (model != null && model.version > 0) {
      call.set(Keys.MODEL_VERSION, Long.toString(model.version));
    }
    if (model != null && model.producer != null && !model.producer.isEmpty()) {
      call.set(Keys.MODEL_PRODUCER, model.producer);
    }
    call.set(Keys.MODEL_ID, source);
    if (!inputs.isEmpty() && inputs.get(0).numberCount > 0) {
      FeatureValues features = new FeatureValues();
      features.addTensor(inputs.get(0));
      call.features = features;
    }
    if (!inputs.isEmpty()) {
      call.set(Keys.MODEL_INPUTS, describe(inputs));
      long rows = inputs.get(0).rows();
      if (rows >= 0) {
        call.set(Keys.BATCH_SIZE, rows);
      }
    }
    if (!outputs.isEmpty()) {
      call.set(Keys.MODEL_OUTPUTS, describe(outputs));
    }
    if (mapRows != null) {
      Tensor labels = labels();
      for (int r = 0; r < mapRows.size(); r++) {
        String[] classes = (String[]) mapRows.get(r)[0];
        double[] probabilities = (double[]) mapRows.get(r)[1];
        String label = labels == null ? null : labels.labelAt(r);
        output.probabilities(probabilities, 0, probabilities.length, classes, label);
      }
    } else {
      Tensor.summarise(outputs, output);
    }
  }

  /** A label output (integers or strings, one per row) beside the maps, or null. */
  private Tensor labels() {
    for (Tensor t : outputs) {
      if ((t.integral() || t.strings != null) && t.width() == 1) {
        return t;
      }
    }
    return null;
  }

  /**
   * The model's file name without its extension when it was loaded from a file, else its graph's
   * name, else {@code onnx}.
   */
  private static String modelName(String source, String graphName) {
    if (source != null && !source.startsWith("sha256:")) {
      String file = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
      int dot = file.lastIndexOf('.');
      return dot > 0 ? file.substring(0, dot) : file;
    }
    return graphName != null && !graphName.isEmpty() ? graphName : "onnx";
  }

  private static List<String> describe(List<Tensor> tensors) {
    List<String> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      out.add(t.describe());
    }
    return out;
  }
}
