package io.tracelight.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium, when the machine has it (Debian's {@code chromium}): a page's DOM after rendering, and a screenshot. */
final class Chromium {
  private Chromium() {}

  /** The browser's path, or null (the caller skips with a message). */
  static Path find() {
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path p = Paths.get(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** The DOM of {@code page} as the browser rendered it. */
  static String dumpDom(Path browser, Path page) throws IOException, InterruptedException {
    return run(browser, page.toUri().toString(), "--dump-dom");
  }

  /** The DOM of the page at {@code url} (a server's) as the browser rendered it. */
  static String dumpDom(Path browser, String url) throws IOException, InterruptedException {
    return run(browser, url, "--dump-dom");
  }

  /** Saves a screenshot of {@code page} to {@code png}. */
  static void screenshot(Path browser, Path page, Path png) throws IOException, InterruptedException {
    screenshot(browser, page.toUri().toString(), png, 1100, 1400);
  }

  /** Saves a screenshot of the page at {@code url}, in a window of {@code width} by {@code height}. */
  static void screenshot(Path browser, String url, Path png, int width, int height)
      throws IOException, InterruptedException {
    run(browser, url, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
  }

  private static String run(Path browser, String page, String... what) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + Files.createTempDirectory("chromium")));
    command.addAll(List.of(what));
    command.add(page);
    Path out = Files.createTempFile("chromium", ".out");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + command);
    }
    return Files.readString(out);
  }
}
