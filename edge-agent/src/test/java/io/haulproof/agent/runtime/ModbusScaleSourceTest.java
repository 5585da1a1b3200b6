package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.config.InstrumentConfig;
import io.haulproof.agent.config.ModbusConfig;
import io.haulproof.agent.config.PortConfig;
import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.Weighing;
import io.haulproof.drivers.scale.ModbusCrc;
import io.haulproof.uplink.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A Modbus RTU indicator simulated at the byte level: requests parsed, replies with CRC, a lift
 * cycle of weights.
 */
class ModbusScaleSourceTest {
  // weight in tenths of kg and whether the indicator reports stable, one step per weight request
  private static final int[][] CYCLE = {
    {0, 1}, {0, 1}, {300, 0}, {585, 1}, {585, 1}, {585, 1}, {400, 0}, {200, 0}, {125, 1}, {125, 1},
    {125, 1}, {0, 0}, {0, 1}, {0, 1}
  };

  @Test
  void modbusIndicator_liftCycle_givesOneWeighingWithNet() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          // given
          PipeTransport replies = new PipeTransport("slave");
          AtomicInteger step = new AtomicInteger();
          AtomicInteger corrupt = new AtomicInteger(3);
          OutputStream slave =
              new OutputStream() {
                final ByteArrayOutputStream req = new ByteArrayOutputStream();

                @Override
                public void write(int b) {
                  req.write(b);
                  if (req.size() == 8) {
                    byte[] r = req.toByteArray();
                    req.reset();
                    int start = ((r[2] & 0xFF) << 8) | (r[3] & 0xFF);
                    int count = ((r[4] & 0xFF) << 8) | (r[5] & 0xFF);
                    int[] now = CYCLE[Math.min(step.get(), CYCLE.length - 1)];
                    byte[] pdu = new byte[3 + 2 * count];
                    pdu[0] = r[0];
                    pdu[1] = r[1];
                    pdu[2] = (byte) (2 * count);
                    if (start == 0) {
                      pdu[5] = (byte) (now[0] >> 8);
                      pdu[6] = (byte) now[0];
                    } else {
                      pdu[4] = (byte) now[1];
                      step.incrementAndGet(); // the client reads the weight, then the status of the
                      // same moment
                    }
                    byte[] frame = ModbusCrc.withCrc(pdu);
                    if (start == 0 && corrupt.getAndDecrement() > 0) {
                      frame[frame.length - 1] ^=
                          0x55; // a few corrupt replies first: counted, never fatal
                    }
                    replies.write(frame);
                  }
                }
              };
          Transport t =
              new Transport() {
                public String describe() {
                  return "fake-modbus";
                }

                public Link open() {
                  return replies.open(slave);
                }
              };
          ScaleConfig cfg =
              new ScaleConfig(
                  "modbus",
                  new PortConfig("/dev/fake", 19200),
                  "kg",
                  0.5,
                  10.0,
                  500.0,
                  100L,
                  1,
                  new ModbusConfig(1, 0, "int32", "big", 1, 2, 0, 20),
                  new InstrumentConfig("A", "S", null, "2026-01-01"),
                  null,
                  null);
          ModbusScaleSource source =
              new ModbusScaleSource("scale", cfg, t, AgentClock.system(), Duration.ofSeconds(5));
          List<Weighing> out = new CopyOnWriteArrayList<>();
          AtomicInteger rejects = new AtomicInteger();
          SensorSink sink =
              new SensorSink() {
                public void tag(TagRead tag) {}

                public void weighing(Weighing w) {
                  out.add(w);
                }

                public void fix(GnssFix fix) {}

                public void accepted(String driver) {}

                public void rejected(String driver) {
                  rejects.incrementAndGet();
                }

                public void live(String sensor, Map<String, Object> value) {}
              };
          source.open();
          Thread loop =
              new Thread(
                  () -> {
                    try {
                      source.run(sink);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
          loop.start();
          // when
          Await.until(() -> !out.isEmpty(), Duration.ofSeconds(30), "a weighing from the loop");
          source.close();
          loop.join(10_000);
          // then
          assertThat(out).hasSize(1);
          assertThat(out.get(0).gross()).isEqualByComparingTo("58.5");
          assertThat(out.get(0).tare()).isEqualByComparingTo("12.5");
          assertThat(out.get(0).net()).isEqualByComparingTo("46.0");
          assertThat(rejects.get()).isPositive();
        });
  }
}
