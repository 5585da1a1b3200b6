package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.Kid;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static final Kid A = Kid.fromHex("01".repeat(16));
  private static final Kid B = Kid.fromHex("02".repeat(16));

  private final AtomicInteger loads = new AtomicInteger();
  private final Map<Kid, Ledger.DeviceKeyInfo> db = new HashMap<>();

  private KeyCache.Loader loader() {
    return () -> {
      loads.incrementAndGet();
      return Map.copyOf(db);
    };
  }

  private static Ledger.DeviceKeyInfo info() {
    return new Ledger.DeviceKeyInfo(null, Optional.empty(), null);
  }

  @Test
  void keys_knownKidWithinTtl_noReload() throws Exception {
    db.put(A, info());
    KeyCache cache = new KeyCache(2_000, 10);
    cache.keys("f/d", A, 0, loader());
    // when
    Map<Kid, Ledger.DeviceKeyInfo> k = cache.keys("f/d", A, 1_999, loader());
    // then
    assertThat(k).containsKey(A);
    assertThat(loads).hasValue(1);
  }

  @Test
  void keys_unknownKid_reloadsAtOnce() throws Exception {
    db.put(A, info());
    KeyCache cache = new KeyCache(2_000, 10);
    cache.keys("f/d", A, 0, loader());
    db.put(B, info()); // a rotation brought B in
    // when
    Map<Kid, Ledger.DeviceKeyInfo> k = cache.keys("f/d", B, 1, loader());
    // then
    assertThat(k).containsKeys(A, B);
    assertThat(loads).hasValue(2);
  }

  @Test
  void keys_afterTtlOrForget_reloads() throws Exception {
    db.put(A, info());
    KeyCache cache = new KeyCache(2_000, 10);
    cache.keys("f/d", A, 0, loader());
    cache.keys("f/d", A, 2_000, loader());
    cache.forget("f/d");
    cache.keys("f/d", A, 2_001, loader());
    assertThat(loads).hasValue(3);
  }

  @Test
  void keys_moreDevicesThanBound_stillAnswersAndStaysBounded() throws Exception {
    db.put(A, info());
    KeyCache cache = new KeyCache(60_000, 4);
    for (int i = 0; i < 100; i++) {
      assertThat(cache.keys("f/d" + i, A, 0, loader())).containsKey(A);
    }
    assertThat(loads).hasValue(100);
  }
}
