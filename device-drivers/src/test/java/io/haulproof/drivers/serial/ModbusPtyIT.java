package io.haulproof.drivers.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Motion;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.scale.ModbusCrc;
import io.haulproof.drivers.scale.ModbusException;
import io.haulproof.drivers.scale.ModbusIndicatorClient;
import io.haulproof.drivers.scale.ModbusWeightMap;
import io.haulproof.lightchain.testing.SocatPtyPair;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Modbus RTU client over a real pty (jSerialComm), with an RTU slave on the other end answering
 * frames.
 */
class ModbusPtyIT {
  @TempDir Path dir;

  /**
   * Serves one request: reads 8 request bytes, answers from the registers (or an exception, or
   * nothing).
   */
  private static Thread slave(Path tty, int[] registers, boolean answer) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = new FileInputStream(tty.toFile());
                  OutputStream out = new FileOutputStream(tty.toFile())) {
                byte[] req = new byte[8];
                for (int got = 0; got < 8; ) {
                  int n = in.read(req, got, 8 - got);
                  if (n < 0) {
                    return;
                  }
                  got += n;
                }
                if (!answer || !ModbusCrc.valid(req, 8)) {
                  return;
                }
                int start = (req[2] & 0xFF) << 8 | (req[3] & 0xFF);
                int count = (req[4] & 0xFF) << 8 | (req[5] & 0xFF);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(req[0]);
                if (start + count > registers.length) {
                  o.write(req[1] | 0x80);
                  o.write(2);
                } else {
                  o.write(req[1]);
                  o.write(2 * count);
                  for (int i = start; i < start + count; i++) {
                    o.write(registers[i] >> 8);
                    o.write(registers[i]);
                  }
                }
                byte[] reply = ModbusCrc.withCrc(o.toByteArray());
                out.write(reply, 0, 3); // split, as a slow line delivers it
                out.flush();
                Thread.sleep(5);
                out.write(reply, 3, reply.length - 3);
                out.flush();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void modbusOverPty_weightStatusAndException() throws Exception {
    try (SocatPtyPair pty = SocatPtyPair.inDir(dir);
        SerialModbusLink link =
            new SerialModbusLink(SerialSettings.of(pty.b().toString(), 19200))) {
      // given 58.50 kg as int32 5850 with 2 decimals at 0x10, stable bit 3 at 0x12
      int[] regs = new int[0x20];
      regs[0x10] = 0;
      regs[0x11] = 5850;
      regs[0x12] = 1 << 3;
      ModbusWeightMap map =
          new ModbusWeightMap(
              1,
              3,
              0x10,
              ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
              ModbusWeightMap.ValueType.INT32,
              2,
              0x12,
              3,
              true,
              WeightUnit.KG);
      DriverMetrics m = new DriverMetrics("modbus");
      ModbusIndicatorClient client =
          new ModbusIndicatorClient("ind", link, map, 5_000, Stamp::now, m);
      // when: weight registers, then status register, each a separate request
      Thread s1 = slave(pty.a(), regs, true);
      WeightReading r = readWith(client, pty.a(), regs, s1);
      // then
      assertThat(r.weight()).contains(new BigDecimal("58.50"));
      assertThat(r.motion()).isEqualTo(Motion.STABLE);
      // and an exception reply for a register beyond the map
      ModbusWeightMap bad =
          new ModbusWeightMap(
              1,
              3,
              0x1F,
              ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
              ModbusWeightMap.ValueType.INT32,
              0,
              -1,
              0,
              true,
              WeightUnit.KG);
      Thread s3 = slave(pty.a(), regs, true);
      assertThatThrownBy(
              () -> new ModbusIndicatorClient("ind", link, bad, 5_000, Stamp::now, m).read())
          .isInstanceOf(ModbusException.class);
      s3.join(10_000);
      // and a silent slave times out
      Thread s4 = slave(pty.a(), regs, false);
      assertThatThrownBy(
              () -> new ModbusIndicatorClient("ind", link, bad, 300, Stamp::now, m).read())
          .isInstanceOf(TimeoutException.class);
      s4.join(10_000);
    }
  }

  private static WeightReading readWith(
      ModbusIndicatorClient client, Path tty, int[] regs, Thread first) throws Exception {
    Thread second =
        new Thread(
            () -> {
              try {
                first.join();
                slave(tty, regs, true).join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    second.start();
    WeightReading r = client.read();
    second.join(10_000);
    return r;
  }
}
