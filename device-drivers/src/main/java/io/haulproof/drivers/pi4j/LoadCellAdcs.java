package io.haulproof.drivers.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import io.haulproof.drivers.reading.DriverMetrics;
import java.util.Objects;

/**
 * Opens a load-cell ADC (NAU7802 on I²C, HX711 on two GPIO pins) on a Pi4J context of its own
 * ({@link Pi4J#newAutoContext()}: the Raspberry Pi's providers on a Pi, Pi4J's mock platform where
 * only that plugin is on the class path, as in the tests). Callers outside this package see no Pi4J
 * type: an {@link Open} reads counts and closes the context.
 */
public final class LoadCellAdcs {
  private LoadCellAdcs() {}

  /** One conversion in signed counts. */
  @FunctionalInterface
  public interface Adc {
    int read() throws AdcTimeoutException;
  }

  /**
   * An opened ADC.
   *
   * @param adc reads conversions
   * @param platform the Pi4J context, for tests that drive the mock platform (an {@code Object} so
   *     that no Pi4J type leaks out of this package)
   */
  public record Open(Adc adc, Object platform) implements AutoCloseable {
    public Open {
      Objects.requireNonNull(adc, "adc");
      Objects.requireNonNull(platform, "platform");
    }

    @Override
    public void close() {
      ((Context) platform).shutdown();
    }
  }

  /**
   * A NAU7802 at {@code address} on I²C {@code bus}, powered up and converting (gain 128).
   *
   * @param id the Pi4J id of the I²C device, e.g. {@code scale-i2c}
   */
  public static Open nau7802(
      String id, int bus, int address, long timeoutMillis, DriverMetrics metrics)
      throws AdcTimeoutException {
    Context pi4j = Pi4J.newAutoContext();
    try {
      I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id(id).bus(bus).device(address).build());
      Nau7802 adc = new Nau7802(i2c, timeoutMillis, metrics);
      adc.start();
      return new Open(adc::read, pi4j);
    } catch (AdcTimeoutException | RuntimeException e) {
      pi4j.shutdown();
      throw e;
    }
  }

  /**
   * An HX711 with DOUT on BCM pin {@code dataPin} and SCK on BCM pin {@code clockPin}, channel A,
   * gain 128.
   *
   * @param id prefix of the Pi4J ids: {@code id-sck} and {@code id-dout}
   * @param maxJump largest change between conversions accepted without a confirming second one
   */
  public static Open hx711(
      String id,
      int dataPin,
      int clockPin,
      long timeoutMillis,
      int maxJump,
      DriverMetrics metrics) {
    Context pi4j = Pi4J.newAutoContext();
    try {
      DigitalOutput sck =
          pi4j.create(
              DigitalOutput.newConfigBuilder(pi4j)
                  .id(id + "-sck")
                  .address(clockPin)
                  .initial(DigitalState.LOW)
                  .shutdown(DigitalState.LOW)
                  .build());
      DigitalInput dout =
          pi4j.create(
              DigitalInput.newConfigBuilder(pi4j).id(id + "-dout").address(dataPin).build());
      Hx711 adc = new Hx711(sck, dout, Hx711.Gain.A128, timeoutMillis, maxJump, metrics);
      return new Open(adc::read, pi4j);
    } catch (RuntimeException e) {
      pi4j.shutdown();
      throw e;
    }
  }
}
