package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.LineFramer;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MT-SICS replies (Mettler-Toledo Standard Interface Command Set, level 0/1) to {@code S} and
 * {@code SI}: {@code S S <value> <unit>} stable, {@code S D <value> <unit>} dynamic (motion),
 * {@code S +} overload, {@code S -} underload become readings; {@code S I} (cannot execute now) and
 * {@code ES}/{@code ET}/{@code EL} (syntax, transmission, logical error) are rejected and counted.
 */
public final class MtSicsReader extends LineFramer {
  private static final Pattern WEIGHT =
      Pattern.compile("S ([SD])\\s+(-?\\d+(?:\\.\\d+)?)\\s+([a-zA-Z]+)");

  private final String source;
  private final Supplier<Stamp> clock;
  private final WeightSink sink;

  public MtSicsReader(
      String source, Supplier<Stamp> clock, WeightSink sink, DriverMetrics metrics) {
    super(64, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * The bytes of a command: {@code S} (stable weight), {@code SI} (immediate), {@code Z}, {@code
   * T}, CR LF added.
   */
  public static byte[] command(String cmd) {
    if (!cmd.matches("[A-Z]{1,3}")) {
      throw new IllegalArgumentException(
          "MT-SICS command '" + cmd + "' is not 1-3 capital letters");
    }
    return (cmd + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  protected void onLine(String line) {
    String l = line.strip();
    switch (l) {
      case "S +" -> sink.accept(noValue(ScaleRange.OVERLOAD));
      case "S -" -> sink.accept(noValue(ScaleRange.UNDERLOAD));
      case "S I" -> throw new MalformedFrameException("busy", "S I: command not executable now");
      case "ES" -> throw new MalformedFrameException("error-ES", "ES: syntax error");
      case "ET" -> throw new MalformedFrameException("error-ET", "ET: transmission error");
      case "EL" -> throw new MalformedFrameException("error-EL", "EL: logical error");
      default -> {
        Matcher m = WEIGHT.matcher(l);
        if (!m.matches()) {
          throw new MalformedFrameException("unsupported", "not an S/SI reply: '" + l + "'");
        }
        boolean stable = m.group(1).equals("S");
        sink.accept(
            new WeightReading(
                source,
                clock.get(),
                stable ? ReadingStatus.VALID : ReadingStatus.WARNING,
                Optional.of(new BigDecimal(m.group(2))),
                Optional.empty(),
                Optional.of(WeightUnit.parse(m.group(3))),
                false,
                stable ? Motion.STABLE : Motion.MOTION,
                ScaleRange.IN_RANGE));
      }
    }
  }

  private WeightReading noValue(ScaleRange range) {
    return new WeightReading(
        source,
        clock.get(),
        ReadingStatus.INVALID,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Motion.UNKNOWN,
        range);
  }
}
