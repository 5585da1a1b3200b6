package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.Objects;

/**
 * The signed content of {@code enroll/req} (DESIGN.md, "Provisioning and management", step 2).
 *
 * <p>CBOR map: {@code 1: fleet, 2: device, 3: public key (SubjectPublicKeyInfo DER), 4: PKCS#10 CSR
 * (DER), 5: firmware version, 6: claim salt, 7: claim iterations, 8: nonce (16 bytes, echoed in the
 * response), 9: time (epoch seconds)}. It travels as the payload of a COSE_Sign1 signed by the new
 * key (proof of possession), wrapped in {@link EnrollEnvelope} together with the claim MAC.
 */
public record EnrollRequest(
    DeviceRef ref,
    Bytes publicKey,
    Bytes csr,
    String firmware,
    Bytes claimSalt,
    int claimIterations,
    Bytes nonce,
    long time) {
  public static final CborLimits LIMITS = new CborLimits(16 * 1024, 4);

  public EnrollRequest {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(csr, "csr");
    Objects.requireNonNull(firmware, "firmware");
    Objects.requireNonNull(claimSalt, "claimSalt");
    if (nonce.length() != 16) {
      throw new IllegalArgumentException("nonce of " + nonce.length() + " bytes, want 16");
    }
    if (firmware.length() > 64) {
      throw new IllegalArgumentException(
          "firmware version of " + firmware.length() + " characters, want at most 64");
    }
  }

  public Bytes encode() {
    return Cbor.encode(
        CborMap.builder()
            .put(1, ref.fleet())
            .put(2, ref.device())
            .put(3, publicKey)
            .put(4, csr)
            .put(5, firmware)
            .put(6, claimSalt)
            .put(7, claimIterations)
            .put(8, nonce)
            .put(9, time)
            .build());
  }

  /** Strict decode; unknown keys and bad values are {@link CborException}s. */
  public static EnrollRequest decode(Bytes payload) {
    MapReader r = MapReader.of(Cbor.decode(payload, LIMITS), "enroll request");
    String fleet = r.requireText(1);
    String device = r.requireText(2);
    Bytes pk = r.requireBytes(3);
    Bytes csr = r.requireBytes(4);
    String fw = r.requireText(5);
    Bytes salt = r.requireBytes(6);
    int it = r.requireInt(7, ClaimKey.MIN_ITERATIONS, ClaimKey.MAX_ITERATIONS);
    Bytes nonce = r.requireBytes(8, 16);
    long time = r.requireLong(9, 0, 253402300799L);
    r.end();
    try {
      return new EnrollRequest(new DeviceRef(fleet, device), pk, csr, fw, salt, it, nonce, time);
    } catch (IllegalArgumentException e) {
      throw new CborException("enroll request: " + e.getMessage(), e);
    }
  }
}
