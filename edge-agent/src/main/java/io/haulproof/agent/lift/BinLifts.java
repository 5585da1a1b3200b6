package io.haulproof.agent.lift;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.entry.QualityFlag;
import io.haulproof.lightchain.entry.Weighing;
import io.haulproof.lightchain.index.BinIndex;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The look-up of one bin's lifts on the truck ({@code haulproof chain lifts}, {@code GET
 * /api/lifts}): parsing the tag and the time window, and the JSON fields of each lift and of the
 * summary (docs/chain.md, "Looking up a bin's lifts").
 */
public final class BinLifts {
  private static final Pattern HEX = Pattern.compile("([0-9a-fA-F]{2}){1,64}");

  private BinLifts() {}

  /**
   * The tag's raw bytes from hex (1 to 64 bytes, as {@code ContainerRead.rawId}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Bytes parseTag(String hex) {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "bin tag '" + hex + "' is not hex of 1 to 64 bytes (e.g. 8000e1a5f3c20d41)");
    }
    return Bytes.fromHex(hex.toLowerCase(Locale.ROOT));
  }

  /**
   * An ISO-8601 instant (e.g. {@code 2026-12-05T06:00:00Z}), or null for null.
   *
   * @throws IllegalArgumentException naming the option
   */
  public static Instant parseTime(String option, String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + " '" + iso + "' is not an ISO-8601 instant (e.g. 2026-12-05T06:00:00Z)");
    }
  }

  /** The lifts whose wall time is at or after {@code from} and before {@code to} (null: open). */
  public static List<BinIndex.Lift> within(List<BinIndex.Lift> lifts, Instant from, Instant to) {
    return lifts.stream()
        .filter(
            l -> {
              long t = l.entry().header().wallTimeMillis();
              return (from == null || t >= from.toEpochMilli())
                  && (to == null || t < to.toEpochMilli());
            })
        .toList();
  }

  /** One lift as JSON fields; absent facts are null. */
  public static Map<String, Object> line(BinIndex.Lift l) {
    CollectionBody c = l.body();
    Weighing w = c.weighing().orElse(null);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("index", l.index());
    v.put("seq", l.entry().header().seq());
    v.put("time", Instant.ofEpochMilli(l.entry().header().wallTimeMillis()).toString());
    v.put("outcome", lower(c.outcome().name()));
    v.put("exception", c.exception().map(ExceptionCode::name).map(BinLifts::lower).orElse(null));
    v.put("net", w == null ? null : BigDecimal.valueOf(w.net(), w.decimals()));
    v.put("unit", w == null ? null : lower(w.unit().name()));
    v.put("stable", w == null ? null : w.stable());
    v.put(
        "flags",
        c.quality().stream().sorted().map(QualityFlag::name).map(BinLifts::lower).toList());
    return v;
  }

  /** The summary after the lifts: the bin, how many lifts were shown, and the window. */
  public static Map<String, Object> summary(Bytes tag, int lifts, Instant from, Instant to) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("bin", tag.toHex());
    v.put("lifts", lifts);
    v.put("from", from == null ? null : from.toString());
    v.put("to", to == null ? null : to.toString());
    return v;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
