package io.haulproof.drivers.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.testing.Streams;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The client against an in-test Modbus RTU slave that implements function 3/4 over a register
 * array.
 */
class ModbusIndicatorClientTest {
  /**
   * A minimal RTU slave: parses the request, checks its CRC, answers from registers or with an
   * exception.
   */
  static final class Slave implements ModbusLink {
    final int[] registers = new int[64];
    int address = 1;
    boolean silent;
    boolean corrupt;
    private byte[] pending = new byte[0];
    private int pos;

    @Override
    public void send(byte[] req) {
      pos = 0;
      pending = new byte[0];
      if (silent || !ModbusCrc.valid(req, req.length) || (req[0] & 0xFF) != address) {
        return;
      }
      int fn = req[1] & 0xFF;
      int start = (req[2] & 0xFF) << 8 | (req[3] & 0xFF);
      int count = (req[4] & 0xFF) << 8 | (req[5] & 0xFF);
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      o.write(address);
      if ((fn != 3 && fn != 4) || start + count > registers.length) {
        o.write(fn | 0x80);
        o.write(fn != 3 && fn != 4 ? 1 : 2);
      } else {
        o.write(fn);
        o.write(2 * count);
        for (int i = start; i < start + count; i++) {
          o.write(registers[i] >> 8);
          o.write(registers[i]);
        }
      }
      pending = ModbusCrc.withCrc(o.toByteArray());
      if (corrupt) {
        pending[3] ^= 1;
      }
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) {
      int n = Math.min(Math.min(len, 3), pending.length - pos); // dribble like a slow line
      System.arraycopy(pending, pos, buf, off, n);
      pos += n;
      return n;
    }
  }

  private final Slave slave = new Slave();
  private final DriverMetrics metrics = new DriverMetrics("modbus");

  private ModbusIndicatorClient client(ModbusWeightMap map) {
    return new ModbusIndicatorClient("ind", slave, map, 200, Streams.ticking(), metrics);
  }

  private static ModbusWeightMap map(
      ModbusWeightMap.WordOrder order, ModbusWeightMap.ValueType type) {
    return new ModbusWeightMap(1, 3, 10, order, type, 1, 12, 0, true, WeightUnit.KG);
  }

  @Test
  void read_int32HighWordFirstStable_decodedWithDecimals() throws Exception {
    // given -123.4 kg as int32 -1234, stable bit set
    int raw = -1234;
    slave.registers[10] = (raw >>> 16) & 0xFFFF;
    slave.registers[11] = raw & 0xFFFF;
    slave.registers[12] = 0x0001;
    // when
    WeightReading r =
        client(map(ModbusWeightMap.WordOrder.HIGH_WORD_FIRST, ModbusWeightMap.ValueType.INT32))
            .read();
    // then
    assertThat(r.weight()).contains(new BigDecimal("-123.4"));
    assertThat(r.motion()).isEqualTo(Motion.STABLE);
  }

  @Test
  void read_float32LowWordFirstInMotion_decoded() throws Exception {
    int bits = Float.floatToIntBits(38.5f);
    slave.registers[10] = bits & 0xFFFF;
    slave.registers[11] = bits >>> 16;
    slave.registers[12] = 0;
    WeightReading r =
        client(map(ModbusWeightMap.WordOrder.LOW_WORD_FIRST, ModbusWeightMap.ValueType.FLOAT32))
            .read();
    assertThat(r.weight()).contains(new BigDecimal("38.5"));
    assertThat(r.motion()).isEqualTo(Motion.MOTION);
  }

  @Test
  void read_illegalAddress_exceptionResponseCounted() {
    ModbusWeightMap m =
        new ModbusWeightMap(
            1,
            3,
            63,
            ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
            ModbusWeightMap.ValueType.INT32,
            0,
            -1,
            0,
            true,
            WeightUnit.KG);
    assertThatThrownBy(() -> client(m).read())
        .isInstanceOf(ModbusException.class)
        .satisfies(e -> assertThat(((ModbusException) e).code()).isEqualTo(2));
    assertThat(metrics.rejectedCount("exception")).isEqualTo(1);
  }

  @Test
  void read_silentSlave_timeoutCounted() {
    slave.silent = true;
    assertThatThrownBy(
            () ->
                client(
                        map(
                            ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
                            ModbusWeightMap.ValueType.INT32))
                    .read())
        .isInstanceOf(TimeoutException.class);
    assertThat(metrics.rejectedCount("timeout")).isEqualTo(1);
  }

  @Test
  void read_corruptReply_crcRejected() {
    slave.corrupt = true;
    assertThatThrownBy(
            () ->
                client(
                        map(
                            ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
                            ModbusWeightMap.ValueType.INT32))
                    .read())
        .isInstanceOf(MalformedFrameException.class);
    assertThat(metrics.rejectedCount("checksum")).isEqualTo(1);
  }
}
