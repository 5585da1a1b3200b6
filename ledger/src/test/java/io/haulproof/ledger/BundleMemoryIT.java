package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.audit.BundleBuilder;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.ledger.testing.BundleVerifyMain;
import io.haulproof.ledger.testing.LedgerProcess;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispute bundle and a PAYT export larger than the ledger's whole heap: a real ledger process at
 * {@code -Xmx64m} serves a bundle of about 70 MB (44k entries with their proofs) streamed from
 * SQLite, byte for byte what the in-memory builder makes of the same data, and it verifies offline.
 */
class BundleMemoryIT {
  private static final String FLEET = "city";
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-01T00:00:00Z");
  private static final int LIFTS = 46_000;
  private static final int BATCH = 2_000;
  private static final int BIN = 42;
  private static final long HEAP = 64L << 20;

  @TempDir Path tmp;

  @Test
  void bundleAndExport_largerThanTheHeap_streamedSameBytesAndVerified() throws Exception {
    // given a truck whose 46,000 lifts are nearly all of one bin, every one bound and cosigned
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    TruckLog truck = new TruckLog(pki, FLEET, "truck-1", 9, FROM.toEpochMilli());
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("devices"));
    TestPki.writePem(data.resolve("devices/truck-1.pem"), truck.certificate());
    Files.createDirectories(data.resolve("trust"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    registry.add(truck.certificate());
    String bin = SyntheticLifts.binTag(BIN).toHex().toLowerCase(Locale.ROOT);
    Path expected = tmp.resolve("expected.json");
    long inBundle = 0;
    java.security.PublicKey witness;
    try (Ledger ledger = TestLedgers.sqlite(data, registry, Clock.systemUTC())) {
      Topics t = new Topics(FLEET, "truck-1");
      for (int from = 0; from < LIFTS; from += BATCH) {
        List<Ledger.Received> batch = new ArrayList<>();
        for (int i = from; i < from + BATCH; i++) {
          truck.lift(i % 20 == 19 ? 7 : BIN);
          batch.add(new Ledger.Received(Integer.toString(i), truck.entry(i)));
          inBundle += i % 20 == 19 ? 0 : 1;
        }
        ledger.acceptEntries(t, batch).forEach(a -> assertThat(a.refused()).isEmpty());
        int to = from + BATCH;
        ReceiptMessage r =
            ledger.acceptCheckpoint(
                t,
                new CheckpointMessage(truck.note(to), from, truck.consistency(from, to)).encode());
        assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
      }
      witness = ledger.witnessPublicKey();
      // and what the in-memory builder (before streaming) makes of it, in this roomy JVM
      try (OutputStream out = Files.newOutputStream(expected)) {
        BundleCodec.write(
            new BundleBuilder(new StoredEvidence(ledger)).build(bin, FROM, TO).bundle(), out);
      }
    }
    assertThat(Files.size(expected)).as("bundle larger than the heap").isGreaterThan(HEAP);

    try (MosquittoProcess broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
        LedgerProcess ledger =
            LedgerProcess.start(
                broker.url(),
                data,
                data.resolve("trust/fleet-ca.pem"),
                FLEET,
                null,
                "ledger-bundle",
                List.of("-Xmx64m"))) {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + ledger.httpPort();
      // when the bundle is downloaded from the ledger at -Xmx64m
      Path got = tmp.resolve("got.json");
      long t0 = System.nanoTime();
      HttpResponse<Path> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/v1/bundle?bin=" + bin + "&from=" + FROM + "&to=" + TO))
                  .build(),
              HttpResponse.BodyHandlers.ofFile(got));
      double seconds = (System.nanoTime() - t0) / 1e9;
      // then it is the builder's bundle, byte for byte, with its counts in the headers
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Haulproof-Entries")).contains(Long.toString(inBundle));
      assertThat(r.headers().firstValue("X-Haulproof-Pending")).contains("0");
      assertThat(Files.size(got)).isEqualTo(Files.size(expected));
      assertThat(Files.mismatch(got, expected)).isEqualTo(-1L);

      // and the PAYT export of the month, one row per lift, streams as well
      HttpResponse<InputStream> csv =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/v1/export/payt?from=" + FROM + "&to=" + TO))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(csv.statusCode()).isEqualTo(200);
      long lines;
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(csv.body(), StandardCharsets.UTF_8))) {
        lines = in.lines().count();
      }
      assertThat(lines).isEqualTo(LIFTS + 1L);

      // and the ledger is still up, having never run out of heap
      assertThat(ledger.get("/health").statusCode()).isEqualTo(200);
      assertThat(ledger.isAlive()).isTrue();
      assertThat(String.join("\n", ledger.output())).doesNotContain("OutOfMemoryError");
      System.out.printf(
          Locale.ROOT,
          "bundle %d bytes, %d entries in %.1f s; ledger at -Xmx64m peak RSS %s%n",
          Files.size(got),
          inBundle,
          seconds,
          peakRss(ledger.pid()));
    }

    // and the downloaded bundle checks offline, with what audit verify runs (it reads the whole
    // file: given its own JVM with a heap of about 12x the bundle, whose peak use is reported)
    Process verify =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                BundleVerifyMain.class.getName(),
                tmp.resolve("got.json").toString(),
                pki.caPem().toString(),
                java.util.Base64.getEncoder().encodeToString(witness.getEncoded()))
            .redirectErrorStream(true)
            .start();
    String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    assertThat(verify.exitValue()).as(out).isZero();
    assertThat(out).contains("{\"valid\":true,\"entries\":" + inBundle + ",");
    System.out.println("audit verify of the bundle at -Xmx768m: " + out.strip());
  }

  private static String peakRss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmHWM"))
          .findFirst()
          .orElse("?");
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
