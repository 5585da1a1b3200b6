package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.http.LedgerHttp;
import io.haulproof.ledger.testing.DevToolsChromium;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.http.BearerToken;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet dashboard in a real headless Chromium, over a real SQLite ledger: open on a loopback
 * ledger without a token, behind its login form with one.
 */
class DashboardIT {
  private static final String FLEET = "city";
  private static final String TOKEN = "dashboard-token-0123456789abcdef";

  @TempDir Path tmp;

  @Test
  void dashboard_twoTrucksLiftsAndHostileEvidence_shownAsTextWithLiftsPlotted() throws Exception {
    // given two trucks; truck-1 sent 12 lifts today under a cosigned checkpoint, truck-2 nothing;
    // a ledger without an access token (the loopback default, as in the demo)
    try (Ledger ledger = fleet();
        LedgerHttp http = new LedgerHttp(ledger, new InetSocketAddress("127.0.0.1", 0))) {
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
          png, Path.of("target/dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

      // then the page ran without asking for a login
      assertThat(dom).contains("data-auth=\"open\"");
      assertFleetShown(dom);
      assertPicture(png);
    }
  }

  @Test
  void dashboard_withAccessToken_loginFormThenFleetAndWrongTokenRefused() throws Exception {
    // given the same fleet on a ledger with an access token
    Path file = tmp.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    try (Ledger ledger = fleet();
        LedgerHttp http =
            new LedgerHttp(
                ledger,
                new InetSocketAddress("127.0.0.1", 0),
                new LedgerMetrics(ledger, () -> true),
                Duration.ofSeconds(2),
                List.of(),
                Optional.of(BearerToken.read(file, "--audit-token-file")));
        DevToolsChromium browser = new DevToolsChromium(tmp)) {
      String url = "http://127.0.0.1:" + http.port() + "/dashboard";

      // when the page is opened, it asks for the token and shows no fleet data
      browser.open(url);
      browser.waitFor("document.body.dataset.auth === 'required'", "the login form");
      String locked = browser.dom();
      assertThat(browser.eval("document.getElementById('login').hidden").asBoolean()).isFalse();
      assertThat(browser.eval("document.getElementById('fleet').hidden").asBoolean()).isTrue();
      assertThat(locked).doesNotContain("data-device=").doesNotContain("<circle");

      // and a wrong token is refused, and not kept
      browser.type("#token", TOKEN + "x");
      browser.click("#login-button");
      browser.waitFor(
          "document.getElementById('login-error').textContent === 'wrong token'",
          "the wrong token refused");
      assertThat(browser.eval("sessionStorage.length").asInt()).isZero();
      assertThat(browser.dom()).doesNotContain("data-device=");

      // and the right one opens the dashboard
      browser.type("#token", TOKEN);
      browser.click("#login-button");
      browser.waitFor("document.body.dataset.loaded === 'true'", "the fleet after the login");

      // then the fleet is shown as without a token
      String dom = browser.dom();
      assertThat(dom).contains("data-auth=\"token\"");
      assertFleetShown(dom);
      assertThat(browser.eval("document.getElementById('login').hidden").asBoolean()).isTrue();
      // and the token is in this tab's sessionStorage only: not in the URL, not in a cookie
      assertThat(browser.eval("sessionStorage.getItem('haulproof.ledger.token')").asText())
          .isEqualTo(TOKEN);
      assertThat(browser.eval("location.href").asText()).isEqualTo(url);
      assertThat(browser.eval("document.cookie").asText()).isEmpty();
      assertThat(browser.eval("document.getElementById('token').value").asText()).isEmpty();
      Path png = tmp.resolve("dashboard-login.png");
      browser.screenshot(png);
      Files.copy(png, Path.of("target/dashboard-login.png"), StandardCopyOption.REPLACE_EXISTING);
      assertPicture(png);

      // and logging out locks it again
      browser.click("#logout");
      browser.waitFor("document.body.dataset.auth === 'required'", "the login form again");
      assertThat(browser.eval("sessionStorage.length").asInt()).isZero();
    }
  }

  /** A ledger where truck-1 sent 12 lifts today, cosigned, and truck-2 hostile evidence. */
  private Ledger fleet() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    TruckLog t1 = new TruckLog(pki, FLEET, "truck-1", 3, System.currentTimeMillis() - 60_000);
    TruckLog t2 = new TruckLog(pki, FLEET, "truck-2", 4, System.currentTimeMillis() - 60_000);
    registry.add(t1.certificate());
    registry.add(t2.certificate());
    Ledger ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
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
    return ledger;
  }

  /** Both trucks, truck-1 online with its cosigned checkpoint, 12 lifts plotted, no markup run. */
  private static void assertFleetShown(String dom) {
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
  }

  /** The screenshot is a real picture of the page. */
  private static void assertPicture(Path png) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
