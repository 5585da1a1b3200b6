package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random values for the environment systemd hands over: parsed, or refused with
 * IllegalArgumentException.
 */
class NotifyEnvironmentFuzzTest {
  private static final String ALPHABET = "0123456789-+ x.e@/\u0000";

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void watchdogTimeout_randomValues_positiveDurationOrIllegalArgument(long seed) {
    Random random = new Random(seed);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 2000; i++) {
      String usec = random(random);
      String pid = random.nextBoolean() ? random(random) : null;
      Map<String, String> env =
          pid == null
              ? Map.of("WATCHDOG_USEC", usec)
              : Map.of("WATCHDOG_USEC", usec, "WATCHDOG_PID", pid);
      try {
        WatchdogKeeper.watchdogTimeout(env, 77).ifPresent(d -> assertThat(d).isPositive());
        accepted++;
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).containsAnyOf("WATCHDOG_USEC", "WATCHDOG_PID");
        refused++;
      }
    }
    assertThat(accepted).isPositive();
    assertThat(refused).isPositive();
  }

  @ParameterizedTest
  @ValueSource(longs = {4, 5})
  void sockaddrUn_randomPaths_encodedWithinSunPathOrRefused(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(130); n > 0; n--) {
        s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      try {
        byte[] addr = LibC.sockaddrUn(s.toString());
        assertThat(addr.length).isBetween(3, 2 + LibC.SUN_PATH_MAX);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).contains("AF_UNIX socket path");
      }
    }
  }

  private static String random(Random random) {
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(8); n > 0; n--) {
      s.append(ALPHABET.charAt(random.nextInt(12)));
    }
    return s.toString();
  }
}
