package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.DeviceEvidence;
import io.haulproof.ledger.audit.DisputeBundle;
import io.haulproof.ledger.audit.ProvenEntry;
import io.haulproof.ledger.fixtures.BundleFixture;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haulproof audit verify} in-process: exit codes and plain-words output. */
class AuditCommandTest {
  @TempDir Path dir;
  private final PrintStream stdout = System.out;
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  BundleFixture f;
  Path root;
  Path witness;

  @BeforeEach
  void setUp() throws Exception {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    f = new BundleFixture(dir);
    root = f.pki.caPem();
    witness = dir.resolve("witness.pub.pem");
    Files.writeString(witness, PublicKeys.toPem(f.witness.publicKey()));
  }

  @AfterEach
  void restore() {
    System.setOut(stdout);
    System.setErr(stderr);
  }

  private int verify(byte[] bundle, Path fleetRoot, Path witnessKey) throws Exception {
    Path file = dir.resolve("bundle-" + System.nanoTime() + ".json");
    Files.write(file, bundle);
    return Main.run(
        "audit",
        "verify",
        file.toString(),
        "--fleet-root",
        fleetRoot.toString(),
        "--witness-key",
        witnessKey.toString());
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void auditVerify_goodBundle_exit0AndSaysWhatHolds() throws Exception {
    int code = verify(BundleCodec.encode(f.bundle), root, witness);

    assertThat(code).isZero();
    assertThat(lines()).noneMatch(l -> l.startsWith("FAILS"));
    assertThat(lines())
        .anyMatch(l -> l.startsWith("holds: entry 10 of device city/truck-1"))
        .anyMatch(l -> l.startsWith("note: A bundle cannot show"));
    assertThat(lines().get(lines().size() - 1))
        .isEqualTo(
            "{\"valid\":true,\"bin\":\""
                + BundleFixture.BIN_ID
                + "\",\"logs\":2,\"entries\":3,\"checkpoints\":3,\"failures\":0}");
  }

  @Test
  void auditVerify_alteredEntry_exit1WithReason() throws Exception {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              ProvenEntry e = d.entries().get(1);
              return BundleFixture.withEntries(
                  d,
                  List.of(
                      d.entries().get(0),
                      new ProvenEntry(
                          e.index(), BundleFixture.flip(e.cose(), 30), e.checkpoint(), e.proof())));
            });

    int code = verify(BundleCodec.encode(b), root, witness);

    assertThat(code).isEqualTo(1);
    assertThat(lines()).anyMatch(l -> l.startsWith("FAILS: entry 10 of device city/truck-1"));
    assertThat(lines().get(lines().size() - 1)).startsWith("{\"valid\":false");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("check(s) failed");
  }

  @Test
  void auditVerify_wrongWitnessKey_exit1() throws Exception {
    Path other = dir.resolve("other.pub.pem");
    Files.writeString(
        other, PublicKeys.toPem(SoftwareDeviceKey.generate(CoseAlgorithm.ES256).publicKey()));

    assertThat(verify(BundleCodec.encode(f.bundle), root, other)).isEqualTo(1);
    assertThat(lines()).anyMatch(l -> l.contains("not by the trusted witness key"));
  }

  @Test
  void auditVerify_foreignFleetRoot_exit1() throws Exception {
    TestPki foreign = TestPki.create(dir.resolve("foreign"), "Haulproof fleet root city");

    assertThat(verify(BundleCodec.encode(f.bundle), foreign.caPem(), witness)).isEqualTo(1);
    assertThat(lines()).anyMatch(l -> l.contains("is not trusted"));
  }

  @Test
  void auditVerify_truncatedFile_exit2() throws Exception {
    byte[] good = BundleCodec.encode(f.bundle);

    assertThat(verify(Arrays.copyOf(good, good.length - 10), root, witness)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not complete JSON");
  }

  @Test
  void auditVerify_witnessKeyNotPem_exit2() throws Exception {
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "hello");

    assertThat(verify(BundleCodec.encode(f.bundle), root, junk)).isEqualTo(2);
  }

  @Test
  void auditVerify_emptyBundle_exit1() throws Exception {
    DisputeBundle empty =
        new DisputeBundle(
            BundleFixture.BIN_ID, BundleFixture.FROM, BundleFixture.TO, List.<DeviceEvidence>of());

    assertThat(verify(BundleCodec.encode(empty), root, witness)).isEqualTo(1);
  }
}
