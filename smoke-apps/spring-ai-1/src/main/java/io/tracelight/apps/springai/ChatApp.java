package io.tracelight.apps.springai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationContext;

/**
 * Spring AI's {@code ChatClient} over each configured chat model, a plain call and a stream, as an
 * app writes them. Prints only what the app sees (hashes of the answers), so a run with the agent
 * can be compared with one without.
 */
@SpringBootApplication
public class ChatApp implements CommandLineRunner {
  private final ApplicationContext context;

  @Value("${app.system}")
  private String system;

  @Value("${app.models}")
  private List<String> models;

  public ChatApp(ApplicationContext context) {
    this.context = context;
  }

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(ChatApp.class);
    app.setDefaultProperties(Map.of("spring.main.web-application-type", "none", "spring.main.banner-mode", "off",
        "logging.level.root", "error"));
    // the SDKs' HTTP clients keep threads alive for a while after the last call: exit when done
    System.exit(SpringApplication.exit(app.run(args)));
  }

  @Override
  public void run(String... args) throws Exception {
    Map<String, ChatModel> beans = context.getBeansOfType(ChatModel.class);
    for (String name : models) {
      ChatModel model = beans.get(name);
      if (model == null) {
        throw new IllegalStateException("no chat model bean " + name + " among " + beans.keySet());
      }
      ChatClient client = ChatClient.create(model);
      String plain = client.prompt().system(system).user("Say hello.").call().content();
      System.out.println(name + " plain: " + sha256(plain));
      List<String> chunks = client.prompt().system(system).user("Say hello slowly.").stream().content()
          .collectList().block();
      System.out.println(name + " stream: " + sha256(String.join("", chunks)));
    }
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
