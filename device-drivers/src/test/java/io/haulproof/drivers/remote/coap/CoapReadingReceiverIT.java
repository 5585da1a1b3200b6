package io.haulproof.drivers.remote.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver against libcoap's own clients (Debian libcoap3-bin), a peer nobody here wrote. */
class CoapReadingReceiverIT {
  private static final String PSK_ID = "bin-7";
  private static final String PSK_KEY = "secretPSK-bin-7";

  @TempDir Path dir;
  private final SoftwareDeviceKey bin7 =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  private final SoftwareDeviceKey stranger =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  private final NodeRegistry registry = new NodeRegistry();
  private final DriverMetrics metrics = new DriverMetrics("coap");
  private final List<VerifiedNodeMessage> forwarded = new CopyOnWriteArrayList<>();
  private CoapReadingReceiver receiver;

  @BeforeEach
  void start() {
    registry.register("bin-7", bin7.publicKey());
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    receiver =
        CoapReadingReceiver.start(
            new CoapReceiverOptions(
                any,
                any,
                Map.of(PSK_ID, PSK_KEY.getBytes(StandardCharsets.US_ASCII)),
                null,
                List.of()),
            new NodeReadingVerifier(registry, Stamp::now, metrics),
            m -> {
              forwarded.add(m);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            });
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Path signedFile(SoftwareDeviceKey key, String node, long counter) throws Exception {
    NodePayload p =
        new NodePayload(
            node,
            counter,
            OptionalLong.of(1_790_000_000L),
            OptionalInt.of(55),
            Optional.of(false),
            Optional.of(false),
            Optional.empty(),
            Optional.of(false),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.of(612),
            Optional.of("mm"));
    Path f = dir.resolve(node + "-" + counter + "-" + key.kid().toHex().substring(0, 6) + ".cose");
    Files.write(f, CoseSign1.sign(key, p.encode()).encoded().toByteArray());
    return f;
  }

  /**
   * Runs a libcoap client; returns its stdout+stderr (it prints the response code of an error
   * reply).
   */
  private String client(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(args));
    Path out = dir.resolve("client-" + System.nanoTime() + ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return Files.readString(out);
  }

  private String post(Path file) throws Exception {
    return client(
        "coap-client-notls",
        "-m",
        "post",
        "-t",
        "60",
        "-B",
        "30",
        "-f",
        file.toString(),
        "coap://127.0.0.1:" + receiver.coapPort() + "/hp/v1/readings");
  }

  @Test
  void plainCoap_validThenReplayThenUnknownThenOversize_codesAndOnlyValidForwarded()
      throws Exception {
    // given
    Path valid = signedFile(bin7, "bin-7", 1);
    Path unknown = signedFile(stranger, "bin-7", 2);
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[1100]);
    // when
    String ok = post(valid);
    String replay = post(valid);
    String unk = post(unknown);
    String oversize = post(big);
    // then
    assertThat(ok).doesNotContain("4.");
    assertThat(replay).contains("4.03");
    assertThat(unk).contains("4.01");
    assertThat(oversize).contains("4.13");
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).cose().toByteArray()).isEqualTo(Files.readAllBytes(valid));
    assertThat(metrics.rejectedByReason())
        .containsEntry("replay", 1L)
        .containsEntry("unknown-node", 1L);
  }

  @Test
  void plainCoap_garbage_badRequest() throws Exception {
    Path junk = dir.resolve("junk.bin");
    Files.write(junk, "not cbor at all".getBytes(StandardCharsets.US_ASCII));
    assertThat(post(junk)).contains("4.00");
    assertThat(forwarded).isEmpty();
  }

  @Test
  void dtlsPsk_opensslClient_acceptedOverCoaps() throws Exception {
    // given
    Path valid = signedFile(bin7, "bin-7", 10);
    // when
    String out =
        client(
            "coap-client-openssl",
            "-m",
            "post",
            "-t",
            "60",
            "-B",
            "30",
            "-u",
            PSK_ID,
            "-k",
            PSK_KEY,
            "-f",
            valid.toString(),
            "coaps://127.0.0.1:" + receiver.coapsPort() + "/hp/v1/readings");
    // then
    assertThat(out).doesNotContain("4.0");
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).payload().counter()).isEqualTo(10);
  }

  @Test
  void dtlsWrongPsk_handshakeFails_nothingForwarded() throws Exception {
    Path valid = signedFile(bin7, "bin-7", 11);
    client(
        "coap-client-openssl",
        "-m",
        "post",
        "-B",
        "10",
        "-u",
        PSK_ID,
        "-k",
        "wrong-key",
        "-f",
        valid.toString(),
        "coaps://127.0.0.1:" + receiver.coapsPort() + "/hp/v1/readings");
    assertThat(forwarded).isEmpty();
  }
}
