package io.haulproof.drivers.fuzz;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.rfid.FdxbAirFrame;
import io.haulproof.lightchain.fuzz.Allocation;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fuzz targets for every byte framer (RFID: FDX-B UART, TI micro-reader, TIRIS ASCII, UHF A0;
 * scale: Toledo continuous, MT-SICS; GNSS: UBX) and the FDX-B air frame. Input: one byte choosing
 * how the rest is split into reads, then the bytes on the wire. Properties: the buffer never
 * exceeds its bound and is empty after the line goes idle; every accepted frame is a contiguous
 * slice of the input that an independent check accepts; the accepted counter matches; no exception
 * escapes; allocation stays proportional to the input (per byte: one refused candidate at most).
 */
final class FramerTargets {
  private FramerTargets() {}

  static List<FuzzTarget> all() {
    List<FuzzTarget> out = new ArrayList<>();
    for (FramerProtocols.Protocol p : FramerProtocols.ALL) {
      out.add(new FuzzTarget(targetName(p.name()), data -> framer(p, data), () -> framerSeeds(p)));
    }
    out.add(new FuzzTarget("FdxbAirFrame", FramerTargets::airFrame, FramerTargets::airSeeds));
    return out;
  }

  /** {@code fdxb-uart} → {@code FdxbUartFramer}. */
  static String targetName(String protocol) {
    StringBuilder b = new StringBuilder();
    for (String part : protocol.split("-")) {
      b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
    }
    return b.append("Framer").toString();
  }

  static void framer(FramerProtocols.Protocol p, byte[] data) throws Exception {
    if (data.length == 0) {
      return;
    }
    // Only the framer's own work is measured; the checks below allocate for themselves. Any byte
    // may start a candidate that is then refused (the scan resumes one byte on), and a refused
    // candidate costs its copy (at most maxFrame bytes) and a stackless refusal with its detail
    // (~300 bytes): linear in the input, never sized by a length field.
    int perByte = 320 + p.framer().apply(new DriverMetrics(p.name())).maxFrame();
    Fed[] fed = new Fed[1];
    Allocation.atMost(64 * 1024, perByte, data.length, () -> fed[0] = feed(p, data));
    check(p, fed[0]);
  }

  /** What one run of a framer over the input gave: its metrics and the frames it accepted. */
  private record Fed(byte[] wire, DriverMetrics metrics, List<byte[]> accepted) {}

  /**
   * A fresh framer fed the wire bytes (after the first byte, which seeds the split into reads),
   * then idle; fails if its buffer ever exceeds its bound or keeps bytes after idle.
   */
  private static Fed feed(FramerProtocols.Protocol p, byte[] data) {
    Random split = new Random(data[0]);
    byte[] wire = Arrays.copyOfRange(data, 1, data.length);
    DriverMetrics m = new DriverMetrics(p.name());
    ByteFramer framer = p.framer().apply(m);
    List<byte[]> accepted = new ArrayList<>();
    framer.onAccepted(accepted::add);
    for (int i = 0; i < wire.length; ) {
      int n = 1 + split.nextInt(Math.min(64, wire.length - i));
      framer.feed(wire, i, n);
      if (framer.buffered() > framer.maxFrame()) {
        throw new AssertionError(p.name() + " buffered " + framer.buffered());
      }
      i += n;
    }
    framer.idle();
    if (framer.buffered() != 0) {
      throw new AssertionError(p.name() + " kept " + framer.buffered() + " bytes after idle");
    }
    return new Fed(wire, m, accepted);
  }

  /** Every accepted frame was counted, is a contiguous slice of the wire and checks out alone. */
  private static void check(FramerProtocols.Protocol p, Fed fed) {
    if (fed.metrics().acceptedCount() != fed.accepted().size()) {
      throw new AssertionError(
          p.name()
              + " counted "
              + fed.metrics().acceptedCount()
              + " accepted, saw "
              + fed.accepted().size());
    }
    String hay = new String(fed.wire(), StandardCharsets.ISO_8859_1);
    for (byte[] f : fed.accepted()) {
      if (!hay.contains(new String(f, StandardCharsets.ISO_8859_1))) {
        throw new AssertionError(p.name() + " assembled a frame from non-contiguous bytes");
      }
      if (!p.independentlyValid().test(f)) {
        throw new AssertionError(p.name() + " accepted an invalid frame " + Arrays.toString(f));
      }
    }
  }

  private static List<byte[]> framerSeeds(FramerProtocols.Protocol p) {
    List<byte[]> out = new ArrayList<>();
    for (int seed = 0; seed < 3; seed++) {
      Random rnd = new Random(seed);
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      o.write(seed);
      for (int i = 0; i < 3; i++) {
        if (seed == 2) {
          o.write(0x55); // a stray byte between frames
        }
        o.writeBytes(p.valid().apply(rnd));
      }
      out.add(o.toByteArray());
    }
    return out;
  }

  /**
   * 16 bytes as 128 bits, least significant bit of each byte first. An accepted frame re-encodes to
   * itself: no two frames stand for one tag.
   */
  static void airFrame(byte[] data) {
    boolean[] bits = new boolean[FdxbAirFrame.BITS];
    for (int i = 0; i < bits.length && i / 8 < data.length; i++) {
      bits[i] = ((data[i / 8] >> (i % 8)) & 1) == 1;
    }
    Iso11784Code code;
    try {
      code = FdxbAirFrame.decode(bits);
    } catch (MalformedFrameException e) {
      return;
    }
    // with the data-block flag the trailer carries data the code does not hold: compare the rest
    int compared = code.dataBlock() ? 11 + 9 * 10 : FdxbAirFrame.BITS;
    if (!Arrays.equals(FdxbAirFrame.encode(code), 0, compared, bits, 0, compared)) {
      throw new AssertionError("air frame decoded to " + code + " re-encodes differently");
    }
  }

  private static List<byte[]> airSeeds() {
    List<byte[]> out = new ArrayList<>();
    for (Iso11784Code c :
        List.of(
            Iso11784Code.of(900, 250_000_000_042L, true, false),
            Iso11784Code.of(276, 1, false, false))) {
      boolean[] bits = FdxbAirFrame.encode(c);
      byte[] b = new byte[16];
      for (int i = 0; i < bits.length; i++) {
        if (bits[i]) {
          b[i / 8] |= (byte) (1 << (i % 8));
        }
      }
      out.add(b);
    }
    return out;
  }
}
