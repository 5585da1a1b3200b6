package io.haulproof.drivers.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.util.Objects;

/**
 * Avia HX711 24-bit load-cell ADC bit-banged over two GPIOs through Pi4J: wait for DOUT low
 * (ready), clock out 24 bits MSB first, then 1–3 extra pulses choosing the channel and gain of the
 * next conversion (25: A/128, 26: B/32, 27: A/64).
 *
 * <p>User-space bit-banging on Linux gets preempted (a clock held high over 60 µs powers the chip
 * down), which shows as garbage: 0xFFFFFF, 0x7FFFFF, 0x800000 are rejected, and a jump larger than
 * {@code maxJump} counts from the last accepted value is rejected unless the next conversion
 * confirms it. Prefer clocking it from SPI in production.
 */
public final class Hx711 {
  /** Channel and gain for the next conversion. */
  public enum Gain {
    A128(1),
    B32(2),
    A64(3);

    final int extraPulses;

    Gain(int extraPulses) {
      this.extraPulses = extraPulses;
    }
  }

  private final DigitalOutput sck;
  private final DigitalInput dout;
  private final Gain gain;
  private final long timeoutMillis;
  private final int maxJump;
  private final DriverMetrics metrics;
  private Integer last;
  private Integer pendingJump;

  public Hx711(
      DigitalOutput sck,
      DigitalInput dout,
      Gain gain,
      long timeoutMillis,
      int maxJump,
      DriverMetrics metrics) {
    this.sck = Objects.requireNonNull(sck, "sck");
    this.dout = Objects.requireNonNull(dout, "dout");
    this.gain = Objects.requireNonNull(gain, "gain");
    this.timeoutMillis = timeoutMillis;
    this.maxJump = maxJump;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Reads one conversion.
   *
   * @throws AdcTimeoutException DOUT never went low
   * @throws MalformedFrameException with reason {@code garbage} or {@code jump} (counted)
   */
  public int read() throws AdcTimeoutException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (dout.isHigh()) {
      if (System.nanoTime() > deadline) {
        metrics.rejected("timeout");
        throw new AdcTimeoutException("HX711: DOUT not low within " + timeoutMillis + " ms");
      }
      try {
        Thread.sleep(1); // a conversion takes 12.5–100 ms: do not spin a core waiting for it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AdcTimeoutException("HX711: interrupted waiting for DOUT");
      }
    }
    int raw = 0;
    for (int i = 0; i < 24; i++) {
      sck.high();
      raw = raw << 1 | (dout.isHigh() ? 1 : 0);
      sck.low();
    }
    for (int i = 0; i < gain.extraPulses; i++) {
      sck.high();
      sck.low();
    }
    return check(raw);
  }

  private int check(int raw) {
    if (raw == 0xFFFFFF || raw == 0x7FFFFF || raw == 0x800000) {
      metrics.rejected("garbage");
      throw new MalformedFrameException(
          "garbage", String.format("HX711 read 0x%06X, a known garbage value", raw));
    }
    int v = (raw << 8) >> 8;
    if (last != null && Math.abs((long) v - last) > maxJump) {
      if (pendingJump == null || Math.abs((long) v - pendingJump) > maxJump) {
        pendingJump = v;
        metrics.rejected("jump");
        throw new MalformedFrameException(
            "jump",
            "HX711 jumped from " + last + " to " + v + ", max " + maxJump + " unless confirmed");
      }
    }
    pendingJump = null;
    last = v;
    metrics.accepted();
    return v;
  }
}
