package io.haulproof.drivers.scale;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.ScaleRange;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Polls a Modbus RTU weighing indicator: read the two weight registers (and the status register)
 * with function 3 or 4, check address, function, byte count and CRC, decode per {@link
 * ModbusWeightMap}.
 */
public final class ModbusIndicatorClient {
  private final String source;
  private final ModbusLink link;
  private final ModbusWeightMap map;
  private final long timeoutMillis;
  private final Supplier<Stamp> clock;
  private final DriverMetrics metrics;

  public ModbusIndicatorClient(
      String source,
      ModbusLink link,
      ModbusWeightMap map,
      long timeoutMillis,
      Supplier<Stamp> clock,
      DriverMetrics metrics) {
    this.source = Objects.requireNonNull(source, "source");
    this.link = Objects.requireNonNull(link, "link");
    this.map = Objects.requireNonNull(map, "map");
    this.timeoutMillis = timeoutMillis;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The request frame: slave, function, start register, count, CRC. */
  public static byte[] readRequest(int slave, int function, int start, int count) {
    return ModbusCrc.withCrc(
        new byte[] {
          (byte) slave,
          (byte) function,
          (byte) (start >> 8),
          (byte) start,
          (byte) (count >> 8),
          (byte) count
        });
  }

  /**
   * Reads one weight.
   *
   * @throws TimeoutException no complete reply in time (counted as {@code timeout})
   * @throws ModbusException the slave answered with an exception (counted as {@code exception})
   * @throws MalformedFrameException a corrupt reply (counted by reason)
   */
  public WeightReading read() throws IOException, TimeoutException, ModbusException {
    try {
      int[] w = registers(map.register(), 2);
      Motion motion = Motion.UNKNOWN;
      if (map.statusRegister() >= 0) {
        int status = registers(map.statusRegister(), 1)[0];
        boolean bit = ((status >> map.stableBit()) & 1) != 0;
        motion = bit == map.stableWhenSet() ? Motion.STABLE : Motion.MOTION;
      }
      int hi = map.wordOrder() == ModbusWeightMap.WordOrder.HIGH_WORD_FIRST ? w[0] : w[1];
      int lo = map.wordOrder() == ModbusWeightMap.WordOrder.HIGH_WORD_FIRST ? w[1] : w[0];
      int bits = hi << 16 | lo;
      BigDecimal value;
      if (map.type() == ModbusWeightMap.ValueType.INT32) {
        value = BigDecimal.valueOf(bits, map.decimals());
      } else {
        float f = Float.intBitsToFloat(bits);
        if (!Float.isFinite(f)) {
          throw new MalformedFrameException("range", "float32 weight is " + f);
        }
        value = new BigDecimal(Float.toString(f));
      }
      metrics.accepted();
      return new WeightReading(
          source,
          clock.get(),
          motion == Motion.MOTION ? ReadingStatus.WARNING : ReadingStatus.VALID,
          Optional.of(value),
          Optional.empty(),
          Optional.of(map.unit()),
          false,
          motion,
          ScaleRange.IN_RANGE);
    } catch (MalformedFrameException e) {
      metrics.rejected(e.reason());
      throw e;
    } catch (TimeoutException e) {
      metrics.rejected("timeout");
      throw e;
    } catch (ModbusException e) {
      metrics.rejected("exception");
      throw e;
    }
  }

  private int[] registers(int start, int count)
      throws IOException, TimeoutException, ModbusException {
    link.send(readRequest(map.slave(), map.function(), start, count));
    byte[] buf = new byte[5 + 2 * count];
    int n = 0;
    int want = 5; // enough to tell an exception reply (5 bytes) from a data reply (3 + 2*count + 2)
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (n < want) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new TimeoutException(
            "Modbus reply: " + n + " of " + want + " bytes after " + timeoutMillis + " ms");
      }
      n += link.read(buf, n, want - n, left);
      if (n >= 2 && want == 5 && (buf[1] & 0xFF) == map.function()) {
        want = buf.length;
      }
    }
    if ((buf[0] & 0xFF) != map.slave()) {
      throw new MalformedFrameException(
          "address", "reply from slave " + (buf[0] & 0xFF) + ", want " + map.slave());
    }
    if ((buf[1] & 0xFF) == (map.function() | 0x80)) {
      if (!ModbusCrc.valid(buf, 5)) {
        throw new MalformedFrameException("checksum", "exception reply with bad CRC");
      }
      throw new ModbusException(map.function(), buf[2] & 0xFF);
    }
    if ((buf[1] & 0xFF) != map.function()) {
      throw new MalformedFrameException(
          "function", "reply function " + (buf[1] & 0xFF) + ", want " + map.function());
    }
    if (!ModbusCrc.valid(buf, buf.length)) {
      throw new MalformedFrameException("checksum", "reply CRC mismatch");
    }
    if ((buf[2] & 0xFF) != 2 * count) {
      throw new MalformedFrameException(
          "length", "byte count " + (buf[2] & 0xFF) + ", want " + 2 * count);
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = (buf[3 + 2 * i] & 0xFF) << 8 | (buf[4 + 2 * i] & 0xFF);
    }
    return out;
  }
}
