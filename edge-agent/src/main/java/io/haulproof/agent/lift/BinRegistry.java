package io.haulproof.agent.lift;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The truck's allow-list of registered bins and their collection days; immutable, replaced as a
 * whole.
 */
public final class BinRegistry {
  /** The allow-list's verdict on one container. */
  public enum Verdict {
    REGISTERED,
    NOT_REGISTERED,
    WRONG_DAY
  }

  private final boolean enforce;
  private final Map<String, RegisteredBin> bins;

  public BinRegistry(boolean enforce, Collection<RegisteredBin> bins) {
    this.enforce = enforce;
    this.bins =
        bins.stream().collect(Collectors.toUnmodifiableMap(RegisteredBin::id, Function.identity()));
  }

  public Optional<RegisteredBin> find(String containerId) {
    return Optional.ofNullable(bins.get(containerId));
  }

  /**
   * Whether {@code containerId} may be emptied on {@code day}; always registered when not enforced.
   */
  public Verdict check(String containerId, LocalDate day) {
    RegisteredBin bin = bins.get(containerId);
    if (!enforce) {
      return Verdict.REGISTERED;
    }
    if (bin == null) {
      return Verdict.NOT_REGISTERED;
    }
    return bin.days().contains(day.getDayOfWeek()) ? Verdict.REGISTERED : Verdict.WRONG_DAY;
  }

  public int size() {
    return bins.size();
  }
}
