package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.LineFramer;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagRead;
import io.haulproof.drivers.reading.TirisCode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TI TIRIS ASCII reader output: lines {@code R 4095 4503599627370495} CR LF (type, application
 * code, id, decimal); {@code LI} (invalid read) and anything else are rejected and counted.
 */
public final class TirisAsciiReader extends LineFramer {
  private static final Pattern LINE = Pattern.compile("([RWM]) (\\d{1,4}) (\\d{1,16})");

  private final String source;
  private final Supplier<Stamp> clock;
  private final TagSink sink;

  public TirisAsciiReader(
      String source, Supplier<Stamp> clock, TagSink sink, DriverMetrics metrics) {
    super(64, metrics);
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  protected void onLine(String line) {
    String l = line.strip();
    if (l.equals("LI")) {
      throw new MalformedFrameException(
          "invalid-read", "reader reported LI (no valid transponder)");
    }
    Matcher m = LINE.matcher(l);
    if (!m.matches()) {
      throw new MalformedFrameException("field", "want 'T AAAA IIII…', got '" + l + "'");
    }
    int app = Integer.parseInt(m.group(2));
    long id = Long.parseLong(m.group(3));
    if (app > 4095 || id > TirisCode.MAX_ID) {
      throw new MalformedFrameException(
          "range",
          "application code "
              + app
              + " (max 4095) or id "
              + id
              + " (max "
              + TirisCode.MAX_ID
              + ")");
    }
    sink.accept(
        TagRead.single(
            source,
            clock.get(),
            new TirisCode(m.group(1).charAt(0), app, id),
            OptionalInt.empty(),
            Optional.empty()));
  }
}
