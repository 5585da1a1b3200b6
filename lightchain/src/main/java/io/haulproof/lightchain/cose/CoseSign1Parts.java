package io.haulproof.lightchain.cose;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborTag;
import io.haulproof.lightchain.cbor.CborValue;
import java.util.Objects;

/**
 * The four fields of any COSE_Sign1 message (RFC 9052 §4.2), without Haulproof's header profile;
 * used to check third-party messages such as the COSE working group examples. {@link CoseSign1}
 * applies the profile on top.
 *
 * @param protectedBytes the protected header bstr contents, exactly as received
 * @param protectedHeader those bytes decoded (an empty map when the bstr is empty)
 * @param tagged whether the message carried tag 18
 */
public record CoseSign1Parts(
    Bytes protectedBytes,
    CborMap protectedHeader,
    CborMap unprotectedHeader,
    Bytes payload,
    Bytes signature,
    boolean tagged) {
  /** COSE_Sign1_Tagged (RFC 9052 §2). */
  public static final long TAG = 18;

  public CoseSign1Parts {
    Objects.requireNonNull(protectedBytes, "protectedBytes");
    Objects.requireNonNull(protectedHeader, "protectedHeader");
    Objects.requireNonNull(unprotectedHeader, "unprotectedHeader");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * Decodes a COSE_Sign1 message, tagged (18) or not, with a strict CBOR decoder.
   *
   * @throws CborException if the message is malformed, carries another tag, or has a detached
   *     payload
   */
  public static CoseSign1Parts decode(Bytes message, CborLimits limits) {
    CborValue v = Cbor.decode(message, limits);
    boolean tagged = false;
    if (v instanceof CborTag t) {
      if (t.tag() != TAG) {
        throw new CborException("COSE_Sign1: wrong tag " + t.tag() + ", want " + TAG + " or none");
      }
      tagged = true;
      v = t.content();
    }
    if (!(v instanceof CborArray a) || a.size() != 4) {
      throw new CborException("COSE_Sign1: want an array of 4, got " + describe(v));
    }
    Bytes prot = bstr(a.get(0), "protected header");
    CborMap protMap;
    if (prot.isEmpty()) {
      protMap = CborMap.empty();
    } else if (Cbor.decode(prot, limits) instanceof CborMap m) {
      protMap = m;
    } else {
      throw new CborException("COSE_Sign1: protected header is not a map");
    }
    if (!(a.get(1) instanceof CborMap unprot)) {
      throw new CborException(
          "COSE_Sign1: unprotected header: want map, got " + a.get(1).typeName());
    }
    return new CoseSign1Parts(
        prot, protMap, unprot, bstr(a.get(2), "payload"), bstr(a.get(3), "signature"), tagged);
  }

  public static CoseSign1Parts decode(Bytes message) {
    return decode(message, CborLimits.DEFAULT);
  }

  /**
   * The Sig_structure (RFC 9052 §4.4) of this message with {@code externalAad}.
   *
   * <p>A protected header that is an encoded empty map ({@code h'a0'}) enters the Sig_structure as
   * a zero-length bstr: RFC 9052 §3 makes the zero-length bstr the form "used in the serialization
   * structures for cryptographic computation", and the COSE WG example sign-pass-01 depends on it.
   * Haulproof's own envelopes never have an empty protected header, so for them this is always the
   * protected bytes as received.
   */
  public Bytes sigStructure(Bytes externalAad) {
    Bytes prot = protectedHeader.size() == 0 ? Bytes.EMPTY : protectedBytes;
    return SigStructure.of(prot, externalAad, payload);
  }

  private static Bytes bstr(CborValue v, String what) {
    if (v instanceof CborBytes b) {
      return b.value();
    }
    throw new CborException("COSE_Sign1: " + what + ": want bytes, got " + v.typeName());
  }

  private static String describe(CborValue v) {
    return v instanceof CborArray a ? "an array of " + a.size() : v.typeName();
  }
}
