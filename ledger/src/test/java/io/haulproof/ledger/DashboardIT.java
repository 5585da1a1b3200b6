package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.http.LedgerHttp;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.HeadlessChromium;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet dashboard in a real headless Chromium, over a real SQLite ledger. */
class DashboardIT {
  private static final String FLEET = "city";

  @TempDir Path tmp;

  @Test
  void dashboard_twoTrucksLiftsAndHostileEvidence_shownAsTextWithLiftsPlotted() throws Exception {
    // given two trucks; truck-1 sent 12 lifts today under a cosigned checkpoint, truck-2 nothing
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    TruckLog t1 = new TruckLog(pki, FLEET, "truck-1", 3, System.currentTimeMillis() - 60_000);
    TruckLog t2 = new TruckLog(pki, FLEET, "truck-2", 4, System.currentTimeMillis() - 60_000);
    registry.add(t1.certificate());
    registry.add(t2.certificate());
    try (Ledger ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
        LedgerHttp http = new LedgerHttp(ledger, new InetSocketAddress("127.0.0.1", 0))) {
      Topics topics = new Topics(FLEET, "truck-1");
      t1.lifts(12);
      for (int i = 0; i < 12; i++) {
        ledger.acceptEntry(topics, Integer.toString(i), t1.entry(i));
      }
      ledger.acceptCheckpoint(topics, new CheckpointMessage(t1.note(12), 0, List.of()).encode());
      // and evidence whose reason carries markup, as an attacker's payload would
      ledger
          .store()
          .db()
          .inTransaction(
              c -> {
                ledger
                    .store()
                    .insertEvidence(
                        c,
                        FLEET,
                        "truck-2",
                        7L,
                        "rejected",
                        "<img src=x onerror=document.title='pwned'>",
                        null,
                        Bytes.wrap(new byte[] {1}),
                        System.currentTimeMillis());
                return null;
              });
      String url = "http://127.0.0.1:" + http.port() + "/dashboard";
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("script-src 'self'");

      // when
      HeadlessChromium chromium = new HeadlessChromium(tmp);
      String dom = chromium.dumpDom(url);
      Path png = tmp.resolve("dashboard.png");
      chromium.screenshot(url, png);
      Files.copy( // kept for a human look after the run
          png, Path.of("target/dashboard.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      // then the page ran, shows both trucks, truck-1 online with its cosigned checkpoint
      assertThat(dom).contains("data-loaded=\"true\"").contains("2 trucks: 1 online, 1 offline");
      assertThat(dom).contains("data-device=\"truck-1\"").contains("data-device=\"truck-2\"");
      assertThat(dom).containsPattern("city/truck-1</td><td class=\"online\">online</td>");
      assertThat(dom).containsPattern("city/truck-2</td><td class=\"offline\">offline</td>");
      assertThat(dom).contains("12 at ");
      // today's 12 lifts are plotted
      assertThat(count(dom, "<circle")).isEqualTo(12);
      assertThat(dom).contains("12 lifts today");
      // the hostile reason is text, not an element
      assertThat(dom).contains("&lt;img src=x onerror=");
      assertThat(dom).doesNotContain("<img");
      assertThat(dom).doesNotContain("pwned</title>");
      // and the screenshot is a real picture of the page
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).isNotNull();
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(Files.size(png)).isGreaterThan(10_000);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
