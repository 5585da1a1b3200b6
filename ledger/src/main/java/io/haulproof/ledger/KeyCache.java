package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.Kid;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of recently seen devices, so that an entry's signature is checked without reading the
 * device's key rows each time. An entry whose key is missing reloads at once (a rotation just
 * brought it in); otherwise what is cached is used for up to {@code ttlMillis}. A stale answer is
 * safe: this check only decides whether a candidate is kept as verified, and whether a key may sign
 * at an index is decided again from the database when the entry is bound.
 */
final class KeyCache {
  /** Reads a device's keys from the database. */
  @FunctionalInterface
  interface Loader {
    Map<Kid, Ledger.DeviceKeyInfo> load() throws IOException;
  }

  private record Cached(Map<Kid, Ledger.DeviceKeyInfo> keys, long at) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final long ttlMillis;
  private final int maxDevices;

  KeyCache(long ttlMillis, int maxDevices) {
    this.ttlMillis = ttlMillis;
    this.maxDevices = maxDevices;
  }

  /** The device's keys, with {@code kid} among them if the database has it. */
  Map<Kid, Ledger.DeviceKeyInfo> keys(String device, Kid kid, long now, Loader loader)
      throws IOException {
    Cached c = cache.get(device);
    if (c != null && now - c.at() < ttlMillis && c.keys().containsKey(kid)) {
      return c.keys();
    }
    Map<Kid, Ledger.DeviceKeyInfo> keys = Map.copyOf(loader.load());
    if (cache.size() >= maxDevices) {
      cache.clear(); // a bound, not a policy: the next entries reload
    }
    cache.put(device, new Cached(keys, now));
    return keys;
  }

  /** Forgets a device (revoked, or its keys changed here). */
  void forget(String device) {
    cache.remove(device);
  }
}
