package io.haulproof.ledger.facts;

import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ContainerRead;
import io.haulproof.lightchain.entry.Weighing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How auditors and billing name the facts of a decoded collection entry: the bin id, the net weight
 * as displayed, and whether a weighing may be billed by weight (DOMAIN.md §1, legal metrology).
 */
public final class LiftFacts {
  private LiftFacts() {}

  /** The bin id: lowercase hex of the raw tag id as read; empty when no tag was read. */
  public static Optional<String> binId(CollectionBody c) {
    return c.container().map(LiftFacts::binId);
  }

  public static String binId(ContainerRead r) {
    return r.rawId().toHex().toLowerCase(Locale.ROOT);
  }

  /** A weight count as the indicator displayed it, e.g. {@code 385} with 1 decimal is 38.5. */
  public static BigDecimal displayed(long count, int decimals) {
    return BigDecimal.valueOf(count, decimals);
  }

  /** The net weight with its unit, e.g. {@code "38.5 kg"}. */
  public static String netText(Weighing w) {
    return displayed(w.net(), w.decimals()).toPlainString()
        + " "
        + w.unit().name().toLowerCase(Locale.ROOT);
  }

  /**
   * The reasons this weighing may not be billed by weight, empty if it may: below Min (OIML R 51;
   * not billable by weight in Germany), not stable, tilted beyond the instrument's limit, over Max,
   * or a negative net weight. Below Min is also derived from the numbers, not only from the
   * device's flag.
   */
  public static List<String> notBillableReasons(Weighing w) {
    List<String> out = new ArrayList<>();
    if (w.belowMin() || w.net() < w.min()) {
      out.add("below_min");
    }
    if (!w.stable()) {
      out.add("not_stable");
    }
    if (w.tilt()) {
      out.add("tilted");
    }
    if (w.overMax()) {
      out.add("over_max");
    }
    if (w.net() < 0) {
      out.add("negative_net");
    }
    return out;
  }
}
