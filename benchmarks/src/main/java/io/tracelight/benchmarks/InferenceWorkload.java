package io.tracelight.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The application the inference runs fork: one ONNX Runtime session scoring one transaction at a
 * time, as a fraud service does per request (a tensor made, the session run, the probabilities
 * read, both closed). Prints one JSON line: the median and p99 wall time per prediction, the
 * calling thread's CPU time and allocation per prediction.
 * {@code InferenceWorkload <model.onnx> <warmup> <calls>}.
 */
public final class InferenceWorkload {
  private InferenceWorkload() {}

  public static void main(String[] args) throws Exception {
    String model = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    SplittableRandom random = new SplittableRandom(1);
    float[][] rows = new float[1024][4];
    for (float[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) (random.nextDouble() * 4);
      }
    }
    double sink = 0;
    try (OrtSession session = env.createSession(model, options)) {
      for (int i = 0; i < warmup; i++) {
        sink += predict(env, session, rows[i & 1023]);
      }
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long[] nanos = new long[calls];
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        sink += predict(env, session, rows[i & 1023]);
        nanos[i] = System.nanoTime() - start;
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      Arrays.sort(nanos);
      System.out.println(String.format(Locale.ROOT,
          "{\"case\":\"onnx-predict\",\"median_us\":%.3f,\"p99_us\":%.3f,\"cpu_us_per_call\":%.3f,"
              + "\"alloc_bytes_per_call\":%d,\"checksum\":%.3f}",
          nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0, cpu / 1000.0 / calls, allocated / calls,
          sink));
    }
  }

  private static double predict(OrtEnvironment env, OrtSession session, float[] row) throws Exception {
    try (OnnxTensor input = OnnxTensor.createTensor(env, new float[][] {row});
        OrtSession.Result result = session.run(Map.of("input", input))) {
      return ((float[][]) result.get(0).getValue())[0][1];
    }
  }
}
