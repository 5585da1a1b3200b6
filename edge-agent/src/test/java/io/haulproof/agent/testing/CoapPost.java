package io.haulproof.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code coap-client-notls -m post -f FILE coap://127.0.0.1:PORT/hp/v1/readings}, the libcoap
 * command-line client, as a smart-bin node would post a reading; returns the response code.
 */
public final class CoapPost {
  /** A response PDU in libcoap's debug log: {@code v:1 t:ACK c:2.04 i:…}. */
  private static final Pattern CODE = Pattern.compile("c:([245]\\.\\d\\d) ");

  private CoapPost() {}

  /**
   * Posts {@code file} and returns the response code, e.g. {@code "2.04"}, {@code "5.03"}, read
   * from libcoap's debug log of the response PDU ({@code -v 6}); no response is an error.
   */
  public static String readings(int port, Path file, Path workDir)
      throws IOException, InterruptedException {
    Path out = workDir.resolve("coap-" + System.nanoTime() + ".out");
    Process p =
        new ProcessBuilder(
                List.of(
                    "coap-client-notls",
                    "-m",
                    "post",
                    "-B",
                    "30",
                    "-v",
                    "6",
                    "-f",
                    file.toString(),
                    "coap://127.0.0.1:" + port + "/hp/v1/readings"))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("coap-client did not finish within 60 s");
      }
    } finally {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Matcher m = CODE.matcher(text);
    if (m.find()) {
      return m.group(1);
    }
    throw new AssertionError("no CoAP response (exit " + p.exitValue() + "): " + text);
  }
}
