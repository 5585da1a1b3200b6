package io.haulproof.uplink.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests a local HTTP server takes as its own pages' or a non-browser's. */
class SameOriginCheckTest {
  private final SameOriginCheck plain =
      new SameOriginCheck("127.0.0.1", 8080, List.of("Ledger.Depot.example"), false);

  @Test
  void refusal_knownNamesWithTheServersPortOrNone_pass() {
    for (String host :
        List.of(
            "127.0.0.1:8080",
            "localhost:8080",
            "[::1]:8080",
            "ledger.depot.example:8080",
            "LOCALHOST:8080",
            "127.0.0.1")) {
      assertThat(plain.refusal(host, null, null)).as(host).isEmpty();
    }
  }

  @Test
  void refusal_foreignHostOtherPortOrNoHost_refused() {
    assertThat(plain.refusal("evil.example:8080", null, null)).isPresent();
    assertThat(plain.refusal("127.0.0.1:8081", null, null)).isPresent();
    assertThat(plain.refusal("127.0.0.1.evil.example:8080", null, null)).isPresent();
    assertThat(plain.refusal(null, null, null)).get().asString().contains("no Host");
  }

  @Test
  void refusal_originMustBeTheServersOwnWithItsScheme() {
    assertThat(plain.refusal("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin")).isEmpty();
    assertThat(plain.refusal("127.0.0.1:8080", "https://127.0.0.1:8080", null)).isPresent();
    assertThat(plain.refusal("127.0.0.1:8080", "http://evil.example", null)).isPresent();
    assertThat(plain.refusal("127.0.0.1:8080", "null", null)).isPresent();
    SameOriginCheck tls = new SameOriginCheck("0.0.0.0", 8443, List.of("truck-7.local"), true);
    assertThat(tls.refusal("truck-7.local:8443", "https://truck-7.local:8443", null)).isEmpty();
    assertThat(tls.refusal("truck-7.local:8443", "http://truck-7.local:8443", null)).isPresent();
  }

  @Test
  void refusal_crossSiteFetch_refused() {
    assertThat(plain.refusal("127.0.0.1:8080", null, "cross-site")).isPresent();
    assertThat(plain.refusal("127.0.0.1:8080", null, "same-site")).isPresent();
    assertThat(plain.refusal("127.0.0.1:8080", null, "none")).isEmpty();
  }

  @Test
  void bindAddress_aNameUnlessWildcard() {
    assertThat(
            new SameOriginCheck("10.0.0.5", 80, List.of(), false)
                .refusal("10.0.0.5:80", null, null))
        .isEmpty();
    assertThat(new SameOriginCheck("::1", 80, List.of(), false).refusal("[::1]:80", null, null))
        .isEmpty();
    assertThat(
            new SameOriginCheck("0.0.0.0", 80, List.of(), false).refusal("0.0.0.0:80", null, null))
        .isPresent();
  }
}
