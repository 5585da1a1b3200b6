package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.security.PublicKey;

/**
 * One {@link SignatureVerifier} per device key, kept across entries and checkpoints. Building a
 * verifier decodes and validates the key's curve point, and the first verification with it
 * precomputes a table for that point that the later ones reuse: a fresh verifier per batch cost
 * about four plain verifications. A public key never changes meaning, so nothing here goes stale;
 * which keys a device may use, and from which index, is decided elsewhere (and again at binding).
 * Least recently used keys go first beyond {@code max}.
 */
final class VerifierCache {
  private final LruMap<Kid, SignatureVerifier> byKid;

  VerifierCache(int max) {
    this.byKid = new LruMap<>(max);
  }

  /**
   * The verifier for {@code key}.
   *
   * @throws io.haulproof.lightchain.crypto.VerificationException if it is not a valid key
   */
  SignatureVerifier of(PublicKey key) {
    Kid kid = Kid.of(key);
    SignatureVerifier v = byKid.get(kid);
    if (v != null && v.publicKey().equals(key)) {
      return v;
    }
    v = SignatureVerifier.of(key); // outside the map's lock: it costs a point decode
    byKid.put(kid, v);
    return v;
  }

  int size() {
    return byKid.size();
  }
}
