package io.haulproof.agent.lift;

import java.time.DayOfWeek;
import java.util.Objects;
import java.util.Set;

/**
 * A bin on the allow-list.
 *
 * @param id decoded container id
 * @param fraction waste fraction
 * @param volumeLitres container volume
 * @param days collection days
 */
public record RegisteredBin(String id, String fraction, int volumeLitres, Set<DayOfWeek> days) {
  public RegisteredBin {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fraction, "fraction");
    days = Set.copyOf(days);
    if (days.isEmpty()) {
      throw new IllegalArgumentException("bin " + id + " has no collection day");
    }
  }
}
