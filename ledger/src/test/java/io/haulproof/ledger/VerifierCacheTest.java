package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class VerifierCacheTest {
  private static PublicKey newKey() {
    return SoftwareDeviceKey.generate(CoseAlgorithm.ES256).publicKey();
  }

  @Test
  void of_sameKeyTwice_sameVerifier() {
    VerifierCache cache = new VerifierCache(8);
    PublicKey k = newKey();
    SignatureVerifier first = cache.of(k);
    assertThat(cache.of(k)).isSameAs(first);
    assertThat(first.publicKey()).isEqualTo(k);
  }

  @Test
  void of_twoKeys_eachItsOwnVerifier() {
    VerifierCache cache = new VerifierCache(8);
    PublicKey a = newKey();
    PublicKey b = newKey();
    assertThat(cache.of(a).publicKey()).isEqualTo(a);
    assertThat(cache.of(b).publicKey()).isEqualTo(b);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void of_beyondMax_leastRecentlyUsedGoes() {
    VerifierCache cache = new VerifierCache(2);
    PublicKey a = newKey();
    PublicKey b = newKey();
    PublicKey c = newKey();
    SignatureVerifier va = cache.of(a);
    SignatureVerifier vb = cache.of(b);
    cache.of(a); // a is now more recent than b
    cache.of(c); // b goes
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.of(a)).isSameAs(va);
    assertThat(cache.of(b)).isNotSameAs(vb); // made again
  }

  @Test
  void new_zeroMax_refused() {
    assertThatThrownBy(() -> new VerifierCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
