package io.haulproof.agent.demo;

import io.haulproof.agent.lift.RegisteredBin;
import io.haulproof.lightchain.entry.ExceptionCode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

/**
 * A seeded simulated collection route through Hamburg: mostly registered bins that get emptied and
 * weighed, with an unknown bin, a wrong-day bin, crew exceptions and an unreadable tag mixed in at
 * fixed positions, so every run of N lifts shows each case. Same seed, same route.
 */
public final class DemoRoute {
  private static final double START_LAT = 53.5511;
  private static final double START_LON = 9.9937;
  private static final int MANUFACTURER = 900;

  private final List<Stop> stops;
  private final List<RegisteredBin> registry;

  private DemoRoute(List<Stop> stops, List<RegisteredBin> registry) {
    this.stops = List.copyOf(stops);
    this.registry = List.copyOf(registry);
  }

  /** The route for {@code lifts} bins, with collection days relative to {@code today}. */
  public static DemoRoute generate(long seed, int lifts, LocalDate today) {
    if (lifts < 1) {
      throw new IllegalArgumentException("lifts " + lifts + " < 1");
    }
    Random rnd = new Random(seed);
    List<Stop> stops = new ArrayList<>();
    List<RegisteredBin> registry = new ArrayList<>();
    DayOfWeek due = today.getDayOfWeek();
    double lat = START_LAT;
    double lon = START_LON;
    for (int i = 0; i < lifts; i++) {
      lat += (rnd.nextDouble() - 0.3) * 0.0004;
      lon += (rnd.nextDouble() - 0.2) * 0.0006;
      Stop.Kind kind = kindAt(i);
      long id = 250_000_000_000L + seed % 1000 * 10_000 + i;
      long tare = 100 + 5 * rnd.nextInt(6); // 10.0–12.5 kg, a 240 l bin
      long gross = tare + 5 * (30 + rnd.nextInt(120)); // 15–75 kg of waste
      ExceptionCode exception =
          kind == Stop.Kind.EXCEPTION
              ? ExceptionCode.values()[rnd.nextInt(ExceptionCode.values().length)]
              : null;
      stops.add(new Stop(kind, MANUFACTURER, id, gross, tare, lat, lon, exception));
      String containerId = String.format("%03d-%012d", MANUFACTURER, id);
      String fraction = new String[] {"residual", "organic", "paper"}[rnd.nextInt(3)];
      switch (kind) {
        case EMPTIED, EXCEPTION, UNREADABLE_TAG ->
            registry.add(new RegisteredBin(containerId, fraction, 240, EnumSet.of(due)));
        case WRONG_DAY ->
            registry.add(new RegisteredBin(containerId, fraction, 240, EnumSet.of(due.plus(2))));
        case UNKNOWN_BIN -> {
          // deliberately not registered
        }
      }
    }
    return new DemoRoute(stops, registry);
  }

  private static Stop.Kind kindAt(int i) {
    return switch (i % 20) {
      case 3, 13 -> Stop.Kind.UNKNOWN_BIN;
      case 6, 16 -> Stop.Kind.EXCEPTION;
      case 9 -> Stop.Kind.WRONG_DAY;
      case 18 -> Stop.Kind.UNREADABLE_TAG;
      default -> Stop.Kind.EMPTIED;
    };
  }

  public List<Stop> stops() {
    return stops;
  }

  /** The allow-list loaded on the truck for this route. */
  public List<RegisteredBin> registry() {
    return registry;
  }
}
