package io.haulproof.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.ledger.fixtures.BundleFixture;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.testing.TestPki;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
  @TempDir Path dir;
  BundleFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new BundleFixture(dir);
  }

  @Test
  void verify_goodBundle_everyCheckHolds() {
    AuditReport r = f.verifier().verify(BundleCodec.decode(BundleCodec.encode(f.bundle)));

    assertThat(r.failures()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(f.bundle.entryCount()).isEqualTo(3);
    assertThat(texts(r))
        .anyMatch(t -> t.contains("certificate of device city/truck-1") && t.contains("fleet root"))
        .anyMatch(t -> t.contains("checkpoint 1 of device city/truck-1 extends checkpoint 0"))
        .anyMatch(
            t ->
                t.startsWith("entry 3 of device city/truck-1")
                    && t.contains("bin " + BundleFixture.BIN_ID)
                    && t.contains("included in checkpoint 0"))
        .anyMatch(t -> t.startsWith("entry 5 of device city/truck-2"));
    assertThat(r.notes()).anyMatch(n -> n.contains("cannot show that it holds every lift"));
  }

  @Test
  void verify_alteredEntry_failsOnTheDeviceSignature() {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              ProvenEntry e = d.entries().get(0);
              ProvenEntry bad =
                  new ProvenEntry(
                      e.index(), BundleFixture.flip(e.cose(), e.cose().length() - 70),
                      e.checkpoint(), e.proof());
              return BundleFixture.withEntries(d, List.of(bad, d.entries().get(1)));
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(r.valid()).isFalse();
    assertThat(failures(r))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("entry 3").contains("signature does not verify"));
  }

  @Test
  void verify_swappedProofs_failsOnInclusion() {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              ProvenEntry a = d.entries().get(0);
              ProvenEntry c = d.entries().get(1);
              return BundleFixture.withEntries(
                  d,
                  List.of(
                      new ProvenEntry(a.index(), a.cose(), a.checkpoint(), c.proof()),
                      new ProvenEntry(c.index(), c.cose(), c.checkpoint(), a.proof())));
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(r.valid()).isFalse();
    assertThat(failures(r))
        .hasSize(2)
        .allMatch(t -> t.contains("is not proven to be in checkpoint"));
  }

  @Test
  void verify_wrongWitnessKey_failsOnEveryCosignature() {
    SoftwareDeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

    AuditReport r = new BundleVerifier(f.pki.caCertificate(), other.publicKey()).verify(f.bundle);

    assertThat(r.valid()).isFalse();
    assertThat(failures(r))
        .anyMatch(t -> t.contains("not by the trusted witness key " + other.kid().toHex()))
        .anyMatch(t -> t.contains("which did not verify"));
  }

  @Test
  void verify_cosignatureByTheRightKidButForgedSignature_fails() {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              CosignedCheckpoint c = d.checkpoints().get(1);
              WitnessCosignature w = c.cosignature();
              WitnessCosignature forged =
                  new WitnessCosignature(w.witness(), w.kid(), w.timestamp() + 1, w.signature());
              return new DeviceEvidence(
                  d.fleet(),
                  d.device(),
                  d.chains(),
                  List.of(
                      d.checkpoints().get(0),
                      new CosignedCheckpoint(c.note(), forged, c.consistency())),
                  d.entries());
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(failures(r)).anyMatch(t -> t.contains("witness cosignature does not verify"));
  }

  @Test
  void verify_foreignCertificateChain_failsAndAttributesNothing() throws Exception {
    TestPki foreign = TestPki.create(dir.resolve("foreign"), "Haulproof fleet root city");
    TruckLog impostor = new TruckLog(foreign, "city", "truck-1", 11, BundleFixture.START);
    DisputeBundle b =
        f.withTruck1(
            d ->
                new DeviceEvidence(
                    d.fleet(),
                    d.device(),
                    List.of(impostor.chain()),
                    d.checkpoints(),
                    d.entries()));

    AuditReport r = f.verifier().verify(b);

    assertThat(r.valid()).isFalse();
    assertThat(failures(r))
        .anyMatch(t -> t.contains("certificate chain 0 of device city/truck-1 is not trusted"))
        .anyMatch(t -> t.contains("has no certificate that chains to the fleet root"));
  }

  @Test
  void verify_certificateOfAnotherDevice_fails() {
    DisputeBundle b =
        f.withTruck1(
            d ->
                new DeviceEvidence(
                    d.fleet(),
                    d.device(),
                    List.of(f.truck2.chain()),
                    d.checkpoints(),
                    d.entries()));

    AuditReport r = f.verifier().verify(b);

    assertThat(failures(r)).anyMatch(t -> t.contains("names device 'truck-2', want 'truck-1'"));
  }

  @Test
  void verify_liftOfAnotherBin_fails() {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              List<ProvenEntry> es = new java.util.ArrayList<>(d.entries());
              es.add(new ProvenEntry(4, f.truck1.entry(4), 1, f.truck1.inclusion(4, 20)));
              return BundleFixture.withEntries(d, es);
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(r.valid()).isFalse();
    assertThat(failures(r))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("entry 4").contains("not of the bundle's bin"));
  }

  @Test
  void verify_bogusConsistencyProof_reportsAFork() {
    DisputeBundle b =
        f.withTruck1(
            d -> {
              CosignedCheckpoint c = d.checkpoints().get(1);
              List<io.haulproof.lightchain.bytes.Hash> proof =
                  new java.util.ArrayList<>(c.consistency());
              java.util.Collections.reverse(proof);
              return new DeviceEvidence(
                  d.fleet(),
                  d.device(),
                  d.chains(),
                  List.of(
                      d.checkpoints().get(0),
                      new CosignedCheckpoint(c.note(), c.cosignature(), proof)),
                  d.entries());
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(failures(r))
        .singleElement()
        .satisfies(t -> assertThat(t).contains("is not an extension of checkpoint 0"));
  }

  @Test
  void verify_checkpointSignedByAnotherKey_fails() {
    TruckLog other = new TruckLog(f.pki, "city", "truck-1", 99, BundleFixture.START);
    other.lifts(12);
    DisputeBundle b =
        f.withTruck1(
            d -> {
              CosignedCheckpoint c = d.checkpoints().get(0);
              return new DeviceEvidence(
                  d.fleet(),
                  d.device(),
                  d.chains(),
                  List.of(
                      new CosignedCheckpoint(other.note(12), c.cosignature(), List.of()),
                      d.checkpoints().get(1)),
                  d.entries());
            });

    AuditReport r = f.verifier().verify(b);

    assertThat(failures(r))
        .anyMatch(
            t ->
                t.contains(
                    "checkpoint 0 of device city/truck-1 is not" + " signed by a certified key"));
  }

  @Test
  void decode_truncatedFile_isAFormatError() {
    byte[] good = BundleCodec.encode(f.bundle);

    assertThatThrownBy(() -> BundleCodec.decode(Arrays.copyOf(good, good.length / 2)))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("not complete JSON");
  }

  @Test
  void decode_unknownField_isAFormatError() {
    String s = new String(BundleCodec.encode(f.bundle), java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad = s.replaceFirst("\"bin\"", "\"extra\": 1, \"bin\"").getBytes();

    assertThatThrownBy(() -> BundleCodec.decode(bad))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("unknown field 'extra'");
  }

  @Test
  void encodeDecode_roundTrip_isIdentical() {
    byte[] once = BundleCodec.encode(f.bundle);

    assertThat(BundleCodec.encode(BundleCodec.decode(once))).isEqualTo(once);
  }

  private static List<String> texts(AuditReport r) {
    return r.findings().stream().map(AuditReport.Finding::text).toList();
  }

  private static List<String> failures(AuditReport r) {
    return r.failures().stream().map(AuditReport.Finding::text).toList();
  }
}
