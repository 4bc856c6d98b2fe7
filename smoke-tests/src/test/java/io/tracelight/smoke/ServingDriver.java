package io.tracelight.smoke;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An application that calls model servers over the JDK client and OkHttp: KServe v2 (JSON and
 * binary tensors), TF Serving, TorchServe, MLflow, Seldon and TGI. It prints what it observes (the
 * status and a hash of each body), so runs with and without the agent must print the same.
 */
public final class ServingDriver {
  private static final MediaType JSON = MediaType.get("application/json");
  static final String[] FEATURES = {"[1.0, 0.5, 0.2, 3.0]", "[0.1, 2.5, 0.0, 0.4]", "[4.0, 0.1, 1.5, 2.0]"};
  private final String root;
  private final HttpClient jdk = HttpClient.newHttpClient();
  private final OkHttpClient okhttp = new OkHttpClient();

  private ServingDriver(String root) {
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    new ServingDriver(args[0]).run();
  }

  private void run() throws Exception {
    String rows = "[" + String.join(",", FEATURES) + "]";
    jdk("/v2/models/fraud/versions/2/infer", "{\"id\":\"r1\",\"inputs\":[{\"name\":\"features\",\"shape\":[3,4],"
        + "\"datatype\":\"FP32\",\"data\":" + rows + "}]}");
    kserveBinary();
    jdk("/v1/models/fraud/versions/5:predict", "{\"signature_name\":\"serving_default\",\"instances\":" + rows + "}");
    okhttp("/v1/models/fraud:classify", "{\"examples\":[{\"amount\":1.0,\"hour\":0.5},{\"amount\":4.0,\"hour\":0.1}]}");
    jdk("/v1/models/house-price:regress", "{\"examples\":[{\"rooms\":3.0},{\"rooms\":5.0}]}");
    okhttp("/predictions/fraud/1.0", "{\"data\":" + FEATURES[2] + "}");
    jdk("/invocations", "{\"dataframe_split\":{\"columns\":[\"a\",\"b\",\"c\",\"d\"],\"data\":" + rows + "}}");
    okhttp("/seldon/prod/fraud-detector/api/v1.0/predictions", "{\"data\":{\"names\":[\"a\",\"b\",\"c\",\"d\"],"
        + "\"ndarray\":" + rows + "}}");
    jdk("/generate", "{\"inputs\":\"What is fraud detection?\",\"parameters\":{\"max_new_tokens\":50,\"details\":true,"
        + "\"decoder_input_details\":true}}");
    okhttp("/generate_stream", "{\"inputs\":\"What is fraud detection?\",\"parameters\":{\"max_new_tokens\":6}}");
    jdk("/v2/models/fraud-no-such-model/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP32\","
        + "\"data\":[1]}]}");
  }

  private void jdk(String path, String body) throws Exception {
    HttpResponse<byte[]> r = jdk.send(HttpRequest.newBuilder(URI.create(root + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    print("jdk", path, r.statusCode(), r.body());
  }

  private void okhttp(String path, String body) throws Exception {
    try (Response r = okhttp.newCall(new Request.Builder().url(root + path).post(RequestBody.create(body, JSON))
        .build()).execute()) {
      print("okhttp", path, r.code(), r.body().bytes());
    }
  }

  /** Triton's binary tensor extension both ways, over OkHttp. */
  private void kserveBinary() throws Exception {
    byte[] header = ("{\"inputs\":[{\"name\":\"features\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"parameters\":{\"binary_data_size\":32}}],\"outputs\":[{\"name\":\"probabilities\","
        + "\"parameters\":{\"binary_data\":true}},{\"name\":\"label\",\"parameters\":{\"binary_data\":true}}]}")
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer tensor = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : new float[] {3.0f, 0.1f, 2.0f, 1.0f, 0.0f, 1.0f, 0.0f, 0.0f}) {
      tensor.putFloat(f);
    }
    byte[] body = new byte[header.length + 32];
    System.arraycopy(header, 0, body, 0, header.length);
    System.arraycopy(tensor.array(), 0, body, header.length, 32);
    Request request = new Request.Builder().url(root + "/v2/models/fraud-binary/infer")
        .header("Inference-Header-Content-Length", Integer.toString(header.length))
        .post(RequestBody.create(body, MediaType.get("application/octet-stream"))).build();
    try (Response r = okhttp.newCall(request).execute()) {
      print("okhttp", "/v2/models/fraud-binary/infer", r.code(), r.body().bytes());
    }
  }

  private static void print(String client, String path, int status, byte[] body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    StringBuilder hex = new StringBuilder();
    for (byte b : sha.digest(body)) {
      hex.append(String.format("%02x", b));
    }
    System.out.println(client + " " + path + " " + status + " " + body.length + " " + hex);
  }
}
