package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Converts P-256 ECDSA signatures between the ASN.1 DER form (JCA, PKCS#11 via SunPKCS11, OpenSSL)
 * and the raw {@code r‖s} form COSE uses (RFC 9053 §2.1).
 */
public final class EcdsaSignatures {
  /** Bytes of each of {@code r} and {@code s} for P-256. */
  public static final int SCALAR_SIZE = 32;

  private EcdsaSignatures() {}

  /**
   * Converts a DER {@code SEQUENCE { INTEGER r, INTEGER s }} to raw {@code r‖s}.
   *
   * @throws VerificationException if the input is not strict DER (no BER, no trailing bytes,
   *     minimal integers), or r or s is negative or wider than 32 bytes
   */
  public static Bytes derToRaw(Bytes der) {
    byte[] in = der.toByteArray();
    ASN1Sequence seq;
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(in);
      if (!(p instanceof ASN1Sequence s) || s.size() != 2) {
        throw new VerificationException("ECDSA DER signature is not a SEQUENCE of two INTEGERs");
      }
      seq = s;
      // Strict DER: re-encoding must reproduce the input exactly (rejects BER lengths and trailing
      // data).
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), in)) {
        throw new VerificationException("ECDSA signature is not canonical DER");
      }
    } catch (IOException
        | IllegalArgumentException
        | IllegalStateException
        | ClassCastException e) {
      throw new VerificationException("malformed ECDSA DER signature: " + e.getMessage(), e);
    }
    if (!(seq.getObjectAt(0) instanceof ASN1Integer r)
        || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
      throw new VerificationException("ECDSA DER signature is not a SEQUENCE of two INTEGERs");
    }
    byte[] out = new byte[2 * SCALAR_SIZE];
    put(r.getValue(), out, 0, "r");
    put(s.getValue(), out, SCALAR_SIZE, "s");
    return Bytes.wrap(out);
  }

  private static void put(BigInteger v, byte[] out, int offset, String name) {
    if (v.signum() < 0) {
      throw new VerificationException("ECDSA signature " + name + " is negative");
    }
    byte[] b = v.toByteArray();
    int start = b.length > 1 && b[0] == 0 ? 1 : 0;
    int len = b.length - start;
    if (len > SCALAR_SIZE) {
      throw new VerificationException(
          "ECDSA signature " + name + " has " + len + " bytes, want at most " + SCALAR_SIZE);
    }
    System.arraycopy(b, start, out, offset + SCALAR_SIZE - len, len);
  }

  /**
   * Converts raw {@code r‖s} (64 bytes) to DER.
   *
   * @throws VerificationException if {@code raw} is not 64 bytes
   */
  public static Bytes rawToDer(Bytes raw) {
    if (raw.length() != 2 * SCALAR_SIZE) {
      throw new VerificationException(
          "wrong raw ECDSA signature length " + raw.length() + ", want " + 2 * SCALAR_SIZE);
    }
    byte[] b = raw.toByteArray();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(b, 0, SCALAR_SIZE));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(b, SCALAR_SIZE, 2 * SCALAR_SIZE));
    try {
      return Bytes.wrap(
          new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
              .getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode ECDSA signature", e);
    }
  }

  /** Writes {@code r} and {@code s} as raw {@code r‖s}, each left-padded to 32 bytes. */
  static Bytes raw(BigInteger r, BigInteger s) {
    byte[] out = new byte[2 * SCALAR_SIZE];
    put(r, out, 0, "r");
    put(s, out, SCALAR_SIZE, "s");
    return Bytes.wrap(out);
  }
}
