package io.haulproof.drivers.gps;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;

/** ZDA, time and date (with a four-digit year). */
public record Zda(String talker, Optional<LocalTime> time, Optional<LocalDate> date)
    implements NmeaSentence {
  @Override
  public String type() {
    return "ZDA";
  }

  @Override
  public Optional<LocalTime> utc() {
    return time;
  }
}
