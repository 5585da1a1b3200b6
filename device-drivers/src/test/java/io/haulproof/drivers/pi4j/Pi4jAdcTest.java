package io.haulproof.drivers.pi4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.scale.AdcSample;
import io.haulproof.drivers.scale.Calibration;
import io.haulproof.drivers.scale.ScaleSpec;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NAU7802 and HX711 through Pi4J's mock platform (the only place mocks are allowed: this machine
 * has no I²C or GPIO). The HX711 is simulated on the mock pins: a listener on the clock output
 * shifts the next bit onto DOUT.
 */
class Pi4jAdcTest {
  private Context pi4j;
  private final DriverMetrics metrics = new DriverMetrics("adc");

  @BeforeEach
  void context() {
    pi4j =
        Pi4J.newContextBuilder()
            .add(new MockPlatform())
            .add(
                MockDigitalInputProvider.newInstance(),
                MockDigitalOutputProvider.newInstance(),
                MockI2CProvider.newInstance())
            .build();
  }

  @AfterEach
  void shutdown() {
    pi4j.shutdown();
  }

  private I2C nau() {
    return pi4j.create(
        I2C.newConfigBuilder(pi4j).id("nau7802").bus(1).device(Nau7802.ADDRESS).build());
  }

  @Test
  void nau7802_powerUpThenConversion_signed24BitMsbFirst() throws Exception {
    // given: the chip reports PUR at power-up, then not ready twice, then CR with -2 (0xFFFFFE)
    I2C i2c = nau();
    i2c.writeRegister(Nau7802.PU_CTRL, (byte) (Nau7802.PUD | Nau7802.PUA | Nau7802.PUR));
    Nau7802 adc = new Nau7802(i2c, 60_000, metrics);
    adc.start();
    i2c.writeRegister(Nau7802.PU_CTRL, (byte) 0x1E);
    i2c.writeRegister(Nau7802.PU_CTRL, (byte) 0x1E);
    i2c.writeRegister(Nau7802.PU_CTRL, (byte) 0x3E);
    i2c.writeRegister(Nau7802.ADCO_B2, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFE}, 0, 3);
    i2c.writeRegister(Nau7802.PU_CTRL, (byte) 0x3E);
    i2c.writeRegister(Nau7802.ADCO_B2, new byte[] {0x01, 0x02, 0x03}, 0, 3);
    // when
    int first = adc.read();
    int second = adc.read();
    // then
    assertThat(first).isEqualTo(-2);
    assertThat(second).isEqualTo(0x010203);
    assertThat(metrics.acceptedCount()).isEqualTo(2);
  }

  @Test
  void nau7802_neverReady_timeout() throws Exception {
    I2C i2c = nau();
    for (int i = 0; i < 200_000; i++) {
      i2c.writeRegister(Nau7802.PU_CTRL, (byte) 0x06);
    }
    Nau7802 adc = new Nau7802(i2c, 20, metrics);
    assertThatThrownBy(adc::start)
        .isInstanceOf(AdcTimeoutException.class)
        .hasMessageContaining("PUR");
    assertThat(metrics.rejectedCount("timeout")).isEqualTo(1);
  }

  /**
   * A simulated HX711 on the mock pins: DOUT low when a value is queued; bit shifted out on each
   * rising SCK.
   */
  private static final class SimulatedHx711 {
    final Deque<Integer> values = new ArrayDeque<>();
    int pulses;
    int current;
    int totalPulses;

    SimulatedHx711(DigitalOutput sck, MockDigitalInput dout) {
      dout.mockState(DigitalState.HIGH);
      sck.addListener(
          e -> {
            if (e.state() != DigitalState.HIGH) {
              return;
            }
            totalPulses++;
            pulses++;
            if (pulses == 1) {
              current = values.removeFirst();
            }
            if (pulses <= 24) {
              dout.mockState(
                  ((current >> (24 - pulses)) & 1) != 0 ? DigitalState.HIGH : DigitalState.LOW);
            } else {
              dout.mockState(DigitalState.HIGH);
            }
          });
    }
  }

  private Hx711 hx711(int... values) {
    DigitalOutput sck =
        pi4j.create(
            DigitalOutput.newConfigBuilder(pi4j)
                .id("sck")
                .address(5)
                .initial(DigitalState.LOW)
                .shutdown(DigitalState.LOW)
                .build());
    MockDigitalInput dout =
        (MockDigitalInput)
            pi4j.<DigitalInput>create(
                DigitalInput.newConfigBuilder(pi4j).id("dout").address(6).build());
    SimulatedHx711 sim = new SimulatedHx711(sck, dout);
    for (int v : values) {
      sim.values.add(v & 0xFFFFFF);
    }
    sckListenerReady =
        () -> {
          if (!sim.values.isEmpty()) {
            sim.pulses = 0;
            dout.mockState(DigitalState.LOW);
          }
        };
    sckListenerReady.run();
    return new Hx711(sck, dout, Hx711.Gain.A128, 200, 10_000, metrics);
  }

  private Runnable sckListenerReady;

  private int next(Hx711 h) throws Exception {
    sckListenerReady.run();
    return h.read();
  }

  @Test
  void hx711_conversions_twosComplementGarbageAndJumpRejected() throws Exception {
    // given
    Hx711 h = hx711(1000, -5, 0xFFFFFF, 0x800000, 900_000, 2000, 900_100);
    // when / then
    assertThat(next(h)).isEqualTo(1000);
    assertThat(next(h)).isEqualTo(-5);
    assertThatThrownBy(() -> next(h))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("garbage");
    assertThatThrownBy(() -> next(h))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("garbage");
    assertThatThrownBy(() -> next(h))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("jump");
    assertThat(next(h)).isEqualTo(2000);
    assertThatThrownBy(() -> next(h))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("jump");
    assertThat(metrics.rejectedByReason()).containsEntry("garbage", 2L).containsEntry("jump", 2L);
  }

  @Test
  void hx711_gainA128_twentyFivePulsesPerConversion() throws Exception {
    DigitalOutput sck =
        pi4j.create(
            DigitalOutput.newConfigBuilder(pi4j)
                .id("sck2")
                .address(7)
                .initial(DigitalState.LOW)
                .build());
    MockDigitalInput dout =
        (MockDigitalInput)
            pi4j.<DigitalInput>create(
                DigitalInput.newConfigBuilder(pi4j).id("dout2").address(8).build());
    SimulatedHx711 sim = new SimulatedHx711(sck, dout);
    sim.values.add(123);
    dout.mockState(DigitalState.LOW);
    new Hx711(sck, dout, Hx711.Gain.A128, 200, 10, metrics).read();
    assertThat(sim.totalPulses).isEqualTo(25);
  }

  @Test
  void hx711_doutStaysHigh_timeout() {
    Hx711 h = hx711();
    assertThatThrownBy(h::read).isInstanceOf(AdcTimeoutException.class);
    assertThat(metrics.rejectedCount("timeout")).isEqualTo(1);
  }

  @Test
  void adcSample_calibratedReading_roundedToE() {
    ScaleSpec spec =
        new ScaleSpec(new BigDecimal("0.5"), BigDecimal.TEN, new BigDecimal("200"), WeightUnit.KG);
    Calibration cal = Calibration.fromReference(1000, 101_000, new BigDecimal("50"));
    assertThat(AdcSample.toReading("adc", Stamp.now(), 1000 + 2000 * 25 + 300, cal, spec).weight())
        .contains(new BigDecimal("25.0"));
  }
}
