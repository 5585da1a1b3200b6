package io.haulproof.uplink.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for page tests: each call starts one browser with a fresh profile
 * (flags that keep it off the network this machine does not have), waits for it by PID and kills it
 * if it hangs. {@code run-tests} installs the {@code chromium} package.
 */
public final class HeadlessChromium {
  private final Path dir;

  public HeadlessChromium(Path dir) {
    this.dir = dir;
  }

  /** The DOM after the page's scripts ran ({@code --dump-dom}, 5 s of virtual time). */
  public String dumpDom(String url) throws IOException, InterruptedException {
    return run("--dump-dom", url);
  }

  /** A 1280x900 PNG screenshot of the page into {@code png}. */
  public void screenshot(String url, Path png) throws IOException, InterruptedException {
    run("--screenshot=" + png, url);
  }

  /**
   * The headless Chromium command line every test uses (no sandbox, GPU, QUIC, first-run or
   * background traffic; a 1280x900 window; its own profile in {@code profile}), then {@code args}.
   */
  public static java.util.List<String> command(Path profile, String... args) {
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1280,900"));
    cmd.addAll(java.util.List.of(args));
    return cmd;
  }

  private String run(String mode, String url) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium");
    Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = dir.resolve("chromium.err");
    Process p =
        new ProcessBuilder(command(profile, mode, "--virtual-time-budget=5000", url))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        throw new AssertionError("chromium did not finish: " + Files.readString(err));
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
