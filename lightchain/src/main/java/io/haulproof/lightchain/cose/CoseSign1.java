package io.haulproof.lightchain.cose;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborTag;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.security.PublicKey;

/**
 * A COSE_Sign1 message (RFC 9052 §4.2) in Haulproof's profile: protected header exactly {@code {1:
 * alg, 4: kid}}, empty unprotected header, embedded payload, empty external_aad; emitted with tag
 * 18, accepted with or without it.
 *
 * <p>Security guarantees: {@link #encoded()} of a decoded message is exactly the received bytes,
 * and {@link #verify} checks the signature over the protected header exactly as received; nothing
 * is re-encoded. Verification also checks that the kid names the key and that the algorithm matches
 * the key type. A decoded message is only well-formed; it is not authentic until {@link #verify}
 * returns.
 */
public final class CoseSign1 {
  /** Header label of the algorithm (RFC 9052 §3.1). */
  public static final int HEADER_ALG = 1;

  /** Header label of the key identifier (RFC 9052 §3.1). */
  public static final int HEADER_KID = 4;

  private final Bytes encoded;
  private final Bytes protectedBytes;
  private final CoseAlgorithm alg;
  private final Kid kid;
  private final Bytes payload;
  private final Bytes signature;

  private CoseSign1(
      Bytes encoded,
      Bytes protectedBytes,
      CoseAlgorithm alg,
      Kid kid,
      Bytes payload,
      Bytes signature) {
    this.encoded = encoded;
    this.protectedBytes = protectedBytes;
    this.alg = alg;
    this.kid = kid;
    this.payload = payload;
    this.signature = signature;
  }

  /** Signs {@code payload} with {@code key}. */
  public static CoseSign1 sign(DeviceKey key, Bytes payload) {
    Bytes prot =
        Cbor.encode(
            CborMap.builder()
                .put(HEADER_ALG, key.algorithm().value())
                .put(HEADER_KID, key.kid().value())
                .build());
    Bytes signature = key.sign(SigStructure.of(prot, payload));
    if (signature.length() != key.algorithm().signatureLength()) {
      throw new IllegalStateException(
          "key "
              + key.kid()
              + " returned a signature of "
              + signature.length()
              + " bytes, want "
              + key.algorithm().signatureLength());
    }
    CborValue msg =
        new CborTag(
            CoseSign1Parts.TAG,
            CborArray.of(
                new CborBytes(prot),
                CborMap.empty(),
                new CborBytes(payload),
                new CborBytes(signature)));
    return new CoseSign1(Cbor.encode(msg), prot, key.algorithm(), key.kid(), payload, signature);
  }

  /**
   * Decodes a message under {@link CborLimits#DEFAULT}.
   *
   * @throws CborException if it is malformed or outside the profile
   */
  public static CoseSign1 decode(Bytes encoded) {
    return decode(encoded, CborLimits.DEFAULT);
  }

  /**
   * Decodes a message with strict CBOR and Haulproof's header profile.
   *
   * @throws CborException if it is malformed or outside the profile (unknown or missing header,
   *     unsupported algorithm, wrong kid or signature length)
   */
  public static CoseSign1 decode(Bytes encoded, CborLimits limits) {
    CoseSign1Parts parts = CoseSign1Parts.decode(encoded, limits);
    if (parts.unprotectedHeader().size() != 0) {
      throw new CborException(
          "COSE_Sign1: unprotected header must be empty, has "
              + parts.unprotectedHeader().size()
              + " entries");
    }
    CborMap h = parts.protectedHeader();
    if (h.size() != 2 || h.get(HEADER_ALG) == null || h.get(HEADER_KID) == null) {
      throw new CborException(
          "COSE_Sign1: protected header must be exactly {1: alg, 4: kid}, has keys "
              + h.entries().keySet());
    }
    if (!(h.get(HEADER_ALG) instanceof CborInt algValue)) {
      throw new CborException("COSE_Sign1: alg: want int, got " + h.get(HEADER_ALG).typeName());
    }
    CoseAlgorithm alg;
    try {
      alg = CoseAlgorithm.fromValue(algValue.value());
    } catch (VerificationException e) {
      throw new CborException("COSE_Sign1: " + e.getMessage(), e);
    }
    if (!(h.get(HEADER_KID) instanceof CborBytes kidValue)
        || kidValue.value().length() != Kid.SIZE) {
      throw new CborException(
          "COSE_Sign1: kid: want " + Kid.SIZE + " bytes, got " + describe(h.get(HEADER_KID)));
    }
    if (parts.signature().length() != alg.signatureLength()) {
      throw new CborException(
          "COSE_Sign1: wrong "
              + alg
              + " signature length "
              + parts.signature().length()
              + ", want "
              + alg.signatureLength());
    }
    return new CoseSign1(
        encoded,
        parts.protectedBytes(),
        alg,
        new Kid(kidValue.value()),
        parts.payload(),
        parts.signature());
  }

  private static String describe(CborValue v) {
    return v instanceof CborBytes b ? b.value().length() + " bytes" : v.typeName();
  }

  /** The message bytes: as received for a decoded message, as produced for a signed one. */
  public Bytes encoded() {
    return encoded;
  }

  public Kid kid() {
    return kid;
  }

  public CoseAlgorithm alg() {
    return alg;
  }

  public Bytes payload() {
    return payload;
  }

  public Bytes signature() {
    return signature;
  }

  /** The protected header bstr contents as received. */
  public Bytes protectedBytes() {
    return protectedBytes;
  }

  /** The Sig_structure this message's signature covers (RFC 9052 §4.4, empty external_aad). */
  public Bytes sigStructure() {
    return SigStructure.of(protectedBytes, payload);
  }

  /**
   * Verifies the message with {@code key}.
   *
   * @throws VerificationException if the kid does not name the key, the algorithm does not match
   *     it, or the signature is invalid
   */
  public void verify(PublicKey key) {
    verify(SignatureVerifier.of(key));
  }

  /** Verifies with a prepared verifier; reuse one verifier per key when checking many messages. */
  public void verify(SignatureVerifier verifier) {
    if (!kid.equals(verifier.kid())) {
      throw new VerificationException("kid " + kid + " does not match key " + verifier.kid());
    }
    verifier.verify(alg, sigStructure(), signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoseSign1 other && encoded.equals(other.encoded);
  }

  @Override
  public int hashCode() {
    return encoded.hashCode();
  }

  @Override
  public String toString() {
    return "CoseSign1[" + alg + ", kid " + kid + ", " + payload.length() + "-byte payload]";
  }
}
