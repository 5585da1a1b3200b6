package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bytes from a GNSS receiver in, {@link GpsFix} out: framer, parser and epoch assembler joined.
 * Rejected sentences are counted in the parser's metrics and never reach the assembler.
 */
public final class NmeaStreamDecoder implements io.haulproof.drivers.reading.ByteSink {
  private final NmeaParser parser;
  private final NmeaFramer framer;
  private final GpsFixAssembler assembler;
  private final Consumer<GpsFix> sink;
  private final Supplier<Stamp> clock;

  public NmeaStreamDecoder(
      String source, NmeaParser parser, Supplier<Stamp> clock, Consumer<GpsFix> sink) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.assembler = new GpsFixAssembler(source);
    this.framer = new NmeaFramer(this::line, parser.metrics());
  }

  @Override
  public void feed(byte[] data, int off, int n) {
    framer.feed(data, off, n);
  }

  /** Emits the epoch in progress (e.g. at end of input). */
  public void flush() {
    assembler.flush().ifPresent(sink);
  }

  private void line(String line) {
    NmeaSentence s;
    try {
      s = parser.parse(line);
    } catch (MalformedFrameException e) {
      return; // counted by the parser; the sentence is data, not a failure of the stream
    }
    assembler.accept(s, clock.get()).ifPresent(sink);
  }
}
