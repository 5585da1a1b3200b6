package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys log entries may be signed with: the device key, plus keys enrolled or rotated in by
 * {@code key} entries; revocations recorded there take effect from the entry that records them.
 *
 * <p>Security guarantees: kids are computed from the keys; {@link #active} never returns a revoked
 * key. Mutable and not thread-safe: the thread that walks the log in order owns it; {@link #copy()}
 * gives others their own.
 */
public final class EntryKeys {
  private final Map<Kid, SignatureVerifier> keys;
  private final Set<Kid> revoked;

  private EntryKeys(Map<Kid, SignatureVerifier> keys, Set<Kid> revoked) {
    this.keys = keys;
    this.revoked = revoked;
  }

  /** Registers {@code deviceKeys}. */
  public static EntryKeys of(PublicKey... deviceKeys) {
    EntryKeys k = new EntryKeys(new HashMap<>(), new HashSet<>());
    for (PublicKey p : deviceKeys) {
      k.register(p);
    }
    return k;
  }

  public EntryKeys copy() {
    return new EntryKeys(new HashMap<>(keys), new HashSet<>(revoked));
  }

  /** Registers a key; a key revoked before stays revoked. */
  public void register(PublicKey key) {
    SignatureVerifier v = SignatureVerifier.of(key);
    keys.putIfAbsent(v.kid(), v);
  }

  public void register(SignatureVerifier verifier) {
    keys.putIfAbsent(verifier.kid(), verifier);
  }

  public void revoke(Kid kid) {
    revoked.add(kid);
  }

  public boolean isRegistered(Kid kid) {
    return keys.containsKey(kid);
  }

  public boolean isRevoked(Kid kid) {
    return revoked.contains(kid);
  }

  /** The verifier of a registered, unrevoked key. */
  public Optional<SignatureVerifier> active(Kid kid) {
    return revoked.contains(kid) ? Optional.empty() : Optional.ofNullable(keys.get(kid));
  }
}
