package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Signed-note key IDs for Haulproof device keys.
 *
 * <p>C2SP signed-note reserves signature type {@code 0xff} for algorithms it has not assigned a
 * byte to, followed by a longer identifier. Haulproof uses {@code key ID = SHA-256(name ‖ 0x0A ‖
 * 0xff ‖ "haulproof/cose-kid" ‖ kid)[:4]}, where {@code kid} is the 16-byte COSE kid (SHA-256 over
 * the SubjectPublicKeyInfo DER, truncated), and the signature is the device key's COSE signature
 * over the note text: raw {@code r‖s} for ES256, 64 bytes. Type {@code 0x02} (ECDSA as in
 * transparency-dev/witness) was not used: it is defined by that implementation (ASN.1 signatures
 * and a key ID that leaves out the key name), while ours are the same raw signatures our COSE
 * entries carry and can be produced by a PKCS#11 token unchanged.
 */
public final class NoteKeys {
  static final byte TYPE = (byte) 0xff;
  static final byte[] IDENTIFIER = "haulproof/cose-kid".getBytes(StandardCharsets.US_ASCII);

  private NoteKeys() {}

  /**
   * The 4-byte key ID, as a big-endian int, of the key with {@code kid} signing under {@code name}.
   */
  public static int keyId(String name, Kid kid) {
    MessageDigest d = Hash.newDigest();
    d.update(name.getBytes(StandardCharsets.UTF_8));
    d.update((byte) 0x0a);
    d.update(TYPE);
    d.update(IDENTIFIER);
    kid.value().updateDigest(d);
    byte[] h = d.digest();
    return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
  }
}
