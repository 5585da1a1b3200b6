package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Realistic sample entries of every kind, shared with other test code through the test-jar. */
public final class SampleEntries {
  private SampleEntries() {}

  public static EntryHeader header(long seq) {
    return new EntryHeader(
        "truck-0042",
        7,
        seq,
        1_763_760_000_000L + seq * 4_000,
        TimeSource.GNSS,
        50,
        3_600_000L + seq * 4_000);
  }

  /**
   * A full collection event: tag, position, operation, service, weighing and instrument, as on a
   * real lift.
   */
  public static CollectionBody collection() {
    return new CollectionBody(
        Optional.of(
            new ContainerRead(
                Bytes.fromHex("8000e1a5f3c20d41"),
                TagTechnology.FDX_B,
                OptionalInt.of(900),
                OptionalLong.of(250000023921L),
                3,
                OptionalInt.of(-58),
                OptionalInt.of(1))),
        Optional.of(Position.ofDegrees(48.1173, 11.516667, 0.9, FixMode.FIX_3D, 8)),
        new Operation("M-HP-4211", Lifter.LEFT, Optional.of("R-17-TUE"), Optional.of("C-3")),
        Optional.of(new Service("residual", 240)),
        Optional.of(
            new Weighing(WeightUnit.KG, 1, 512, 127, 5, 100, 5000, true, false, false, false)),
        Optional.of(new Instrument("SN-88123", OptionalLong.of(41))),
        Outcome.EMPTIED,
        Optional.empty(),
        Optional.empty(),
        Set.of());
  }

  /** {@link #collection()} of the bin whose tag reads {@code rawId}. */
  public static CollectionBody collection(Bytes rawId) {
    CollectionBody s = collection();
    ContainerRead c = s.container().orElseThrow();
    return new CollectionBody(
        Optional.of(
            new ContainerRead(
                rawId,
                c.technology(),
                OptionalInt.empty(),
                OptionalLong.empty(),
                c.readCount(),
                c.rssiDbm(),
                c.antenna())),
        s.position(),
        s.operation(),
        s.service(),
        s.weighing(),
        s.instrument(),
        s.outcome(),
        s.exception(),
        s.photoHash(),
        s.quality());
  }

  /** A minimal collection: no tag, no position, an exception. */
  public static CollectionBody unidentifiedCollection() {
    return new CollectionBody(
        Optional.empty(),
        Optional.empty(),
        new Operation("M-HP-4211", Lifter.REAR_COMB, Optional.empty(), Optional.empty()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Outcome.EXCEPTION,
        Optional.of(ExceptionCode.DAMAGED),
        Optional.of(Hash.sha256(Bytes.of((byte) 1))),
        EnumSet.of(
            QualityFlag.RFID_MISSING, QualityFlag.POSITION_MISSING, QualityFlag.WEIGHT_MISSING));
  }

  /** One body of each kind. */
  public static List<EntryBody> allKinds() {
    SoftwareDeviceKey node = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes spki = Bytes.wrap(node.publicKey().getEncoded());
    return List.of(
        collection(),
        unidentifiedCollection(),
        new ReadingBody("bin-0001", node.kid(), Bytes.fromHex("d28443a10126a0f640")),
        new ConfigBody(
            3,
            "calibration",
            Bytes.fromHex("a1016473636c65"),
            Optional.of(Hash.sha256(Bytes.EMPTY)),
            Optional.empty()),
        new KeyBody(
            KeyAction.ENROLL,
            Kid.ofSpki(spki),
            spki,
            List.of(Bytes.fromHex("3082")),
            Optional.empty(),
            Optional.empty()),
        new KeyBody(
            KeyAction.REVOKE,
            Kid.ofSpki(spki),
            spki,
            List.of(),
            Optional.of(node.kid()),
            Optional.of("compromised")),
        new LossBody(
            LossReason.CRC_MISMATCH,
            "00000003.seg",
            4096,
            8192,
            OptionalLong.of(100),
            OptionalLong.of(140),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.of("quarantine/00000003.seg"),
            Optional.of("crc")),
        new ReceiptBody(
            "witness.example",
            node.kid(),
            1000,
            Hash.sha256(Bytes.EMPTY),
            Bytes.fromHex("0102"),
            1_763_760_000L));
  }
}
