package io.haulproof.agent.config;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One registered bin of the allow-list.
 *
 * @param id the decoded container id as the RFID driver reports it
 * @param fraction waste fraction, for example {@code residual}, {@code organic}, {@code paper}
 * @param volumeLitres container volume
 * @param days collection days ({@code MON}…{@code SUN}); empty means every day
 */
public record BinConfig(String id, String fraction, Integer volumeLitres, List<String> days) {
  public BinConfig {
    Check.required("id", id);
    if (id.isBlank() || id.length() > 64) {
      throw new ConfigException("id", "must be 1 to 64 characters, got \"" + id + "\"");
    }
    fraction = Check.id("fraction", Check.orDefault(fraction, "residual"));
    volumeLitres = Check.range("volumeLitres", volumeLitres, 240, 10, 40_000);
    days = List.copyOf(Check.orDefault(days, List.of()));
    collectionDays(days);
  }

  /** The collection days; every day when none are listed. */
  public Set<DayOfWeek> collectionDays() {
    return collectionDays(days);
  }

  private static Set<DayOfWeek> collectionDays(List<String> days) {
    if (days.isEmpty()) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String d : days) {
      out.add(day(d));
    }
    return out;
  }

  private static DayOfWeek day(String d) {
    String u = d == null ? "" : d.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek dow : DayOfWeek.values()) {
      if (dow.name().equals(u) || dow.name().substring(0, 3).equals(u)) {
        return dow;
      }
    }
    throw new ConfigException("days", "unknown day \"" + d + "\", want MON..SUN");
  }
}
