package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Hash;
import java.security.PublicKey;

/**
 * Entries whose signature this ledger verified recently, by RFC 9162 leaf hash, each with the key
 * that verified it: a truck resends what a receipt did not count yet and the broker redelivers, and
 * under load these byte-identical resends outnumbered new entries (18,365 for 30,000 in the
 * session-8 profile), each paying a full ES256 verification before the database called it a
 * duplicate.
 *
 * <p>Security guarantees: the leaf hash is SHA-256 over the entry's exact COSE bytes, so a hit
 * means the same bytes (a forged or altered entry has another leaf), and an ES256 verification is a
 * function of the key and the bytes alone, so its result is known: {@link #verifiedBy} answers yes
 * only for the key that verified those bytes. Everything else about an entry (its size, decoding,
 * device, whether its key may sign at its index) is checked again each time by the caller. Least
 * recently used leaves go first beyond {@code max}; a forgotten leaf is simply verified again.
 */
final class VerifiedEntries {
  private final LruMap<Hash, PublicKey> byLeaf;

  VerifiedEntries(int max) {
    this.byLeaf = new LruMap<>(max);
  }

  /** Whether the entry with {@code leaf} has verified under {@code key} here. */
  boolean verifiedBy(Hash leaf, PublicKey key) {
    PublicKey k = byLeaf.get(leaf);
    return k != null && k.equals(key);
  }

  /**
   * Records that the entry with {@code leaf} verified under {@code key}; call only after it did.
   */
  void add(Hash leaf, PublicKey key) {
    byLeaf.put(leaf, key);
  }
}
