package io.haulproof.lightchain.cose;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborText;

/** The COSE_Sign1 Sig_structure (RFC 9052 §4.4): the bytes a COSE_Sign1 signature is made over. */
public final class SigStructure {
  private static final CborText CONTEXT = new CborText("Signature1");

  private SigStructure() {}

  /**
   * {@code ["Signature1", body_protected, external_aad, payload]} encoded as CBOR.
   *
   * @param protectedBytes the protected header exactly as it appears in the message (the bstr
   *     contents)
   */
  public static Bytes of(Bytes protectedBytes, Bytes externalAad, Bytes payload) {
    return Cbor.encode(
        CborArray.of(
            CONTEXT,
            new CborBytes(protectedBytes),
            new CborBytes(externalAad),
            new CborBytes(payload)));
  }

  /** The Sig_structure with empty external_aad, as every Haulproof envelope uses. */
  public static Bytes of(Bytes protectedBytes, Bytes payload) {
    return of(protectedBytes, Bytes.EMPTY, payload);
  }
}
