package io.tracelight.instrumentation.grpc;

/** The model servers' gRPC methods the interceptor records, and how each one's messages are read. */
enum ModelMethod {
  KSERVE_INFER("inference.GRPCInferenceService/ModelInfer", "kserve_v2"),
  TF_PREDICT("tensorflow.serving.PredictionService/Predict", "tf_serving"),
  TF_CLASSIFY("tensorflow.serving.PredictionService/Classify", "tf_serving"),
  TF_REGRESS("tensorflow.serving.PredictionService/Regress", "tf_serving");

  final String fullName;
  final String runtime;

  ModelMethod(String fullName, String runtime) {
    this.fullName = fullName;
    this.runtime = runtime;
  }

  static ModelMethod of(String fullName) {
    for (ModelMethod m : values()) {
      if (m.fullName.equals(fullName)) {
        return m;
      }
    }
    return null;
  }
}
