package io.tracelight.smoke;

import java.nio.charset.StandardCharsets;

/**
 * Versions of the libraries older than the modules support (OkHttp 3.x, Apache HttpClient 4.2),
 * run with the agent: the app must work as without it. Uses only API those versions share with
 * the ones it is compiled against, and no other test class (those name newer API).
 */
public final class OldClientsDriver {
  private OldClientsDriver() {}

  @SuppressWarnings("deprecation")
  public static void main(String[] args) throws Exception {
    String base = args[0];
    okhttp3.OkHttpClient okhttp = new okhttp3.OkHttpClient();
    okhttp3.Request request = new okhttp3.Request.Builder().url(base + "/chat/completions")
        .post(okhttp3.RequestBody.create(okhttp3.MediaType.parse("application/json"),
            body("old-okhttp")))
        .build();
    okhttp3.Response response = okhttp.newCall(request).execute();
    System.out.println("okhttp: " + response.code() + " " + sha256(response.body().bytes()));
    okhttp.dispatcher().executorService().shutdown();

    org.apache.http.client.HttpClient apache = new org.apache.http.impl.client.DefaultHttpClient();
    org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(base + "/chat/completions");
    post.setEntity(new org.apache.http.entity.StringEntity(body("old-apache"), "UTF-8"));
    org.apache.http.HttpResponse r = apache.execute(post);
    System.out.println("apache: " + r.getStatusLine().getStatusCode() + " "
        + sha256(org.apache.http.util.EntityUtils.toByteArray(r.getEntity())));
    System.out.println("versions: " + okhttp3.OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation()
        .getPath().replaceAll(".*/", "") + " " + org.apache.http.impl.client.DefaultHttpClient.class
        .getProtectionDomain().getCodeSource().getLocation().getPath().replaceAll(".*/", ""));
  }

  private static String body(String model) {
    // ClientDriver.SYSTEM_PROMPT is a constant: javac copies it, ClientDriver is not loaded
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + ClientDriver.SYSTEM_PROMPT + "\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(bytes)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }
}
