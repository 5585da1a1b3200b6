package io.haulproof.drivers.pi4j;

import com.pi4j.io.i2c.I2C;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.util.Objects;

/**
 * Nuvoton NAU7802 24-bit load-cell ADC on I²C (address {@value #ADDRESS}) through Pi4J: power-up
 * sequence, then conversions read when PU_CTRL (0x00) bit CR (cycle ready, bit 5) is set, from ADCO
 * 0x12–0x14, MSB first, 24-bit two's complement (NAU7802 datasheet, register map).
 */
public final class Nau7802 {
  public static final int ADDRESS = 0x2A;
  public static final int PU_CTRL = 0x00;
  public static final int CTRL1 = 0x01;
  public static final int ADCO_B2 = 0x12;
  static final int RR = 0x01;
  static final int PUD = 0x02;
  static final int PUA = 0x04;
  static final int PUR = 0x08;
  static final int CS = 0x10;
  static final int CR = 0x20;

  private final I2C i2c;
  private final long timeoutMillis;
  private final DriverMetrics metrics;

  /**
   * @param i2c the device at {@value #ADDRESS} on its bus, e.g. {@code
   *     pi4j.create(I2C.newConfigBuilder(pi4j) .bus(1).device(0x2A).build())}
   */
  public Nau7802(I2C i2c, long timeoutMillis, DriverMetrics metrics) {
    this.i2c = Objects.requireNonNull(i2c, "i2c");
    this.timeoutMillis = timeoutMillis;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Resets, powers up digital and analog parts, waits for PUR, sets gain 128 and starts conversions
   * (CS).
   */
  public void start() throws AdcTimeoutException {
    i2c.writeRegister(PU_CTRL, (byte) RR);
    i2c.writeRegister(PU_CTRL, (byte) (PUD | PUA));
    waitFor(PUR, "power-up ready (PUR)");
    i2c.writeRegister(CTRL1, (byte) 0x07); // gain 128
    i2c.writeRegister(PU_CTRL, (byte) (PUD | PUA | CS));
  }

  /** Waits for the next conversion and returns it as signed counts. */
  public int read() throws AdcTimeoutException {
    waitFor(CR, "cycle ready (CR)");
    byte[] b = new byte[3];
    int n = i2c.readRegister(ADCO_B2, b, 0, 3);
    if (n != 3) {
      metrics.rejected("short-read");
      throw new MalformedFrameException("short-read", "ADCO read returned " + n + " bytes, want 3");
    }
    int raw = (b[0] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | (b[2] & 0xFF);
    metrics.accepted();
    return (raw << 8) >> 8;
  }

  private void waitFor(int bit, String what) throws AdcTimeoutException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while ((i2c.readRegister(PU_CTRL) & bit) == 0) {
      if (System.nanoTime() > deadline) {
        metrics.rejected("timeout");
        throw new AdcTimeoutException("NAU7802: no " + what + " within " + timeoutMillis + " ms");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AdcTimeoutException("NAU7802: interrupted waiting for " + what);
      }
    }
  }
}
