package io.haulproof.drivers.reading;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.rfid.TiMicroReader;
import io.haulproof.drivers.rfid.UhfA0Reader;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import io.haulproof.drivers.testing.Streams;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a refused candidate costs (the long fuzz run of 2026-12-04 found every framer allocating
 * about 1 KiB per refusal: a stack trace and a {@code String.format} each, so 125 hostile bytes
 * made a Toledo framer allocate 74 KB). A noisy line can start a candidate at every byte.
 */
class RefusalCostTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int N = 4096;

  @Test
  void malformedFrame_thrown_carriesNoStackTrace() {
    MalformedFrameException e = new MalformedFrameException("checksum", "computed 01, says 02");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("checksum: computed 01, says 02");
    assertThat(e.reason()).isEqualTo("checksum");
  }

  @Test
  void tiMicro_startBytePerByte_refusesEachForAFewHundredBytes() {
    // 0x01 0x01 ...: every byte starts a 4-byte candidate whose BCC is wrong
    assertCheapRefusals(m -> new TiMicroReader("r", Streams.ticking(), r -> {}, m), (byte) 0x01);
  }

  @Test
  void toledo_stxPerByte_refusesEachForAFewHundredBytes() {
    assertCheapRefusals(
        m -> new ToledoContinuousReader("s", true, Streams.ticking(), r -> {}, m), (byte) 0x02);
  }

  @Test
  void uhfA0_headerPerByte_refusesEachForItsCopyAndAFewHundredBytes() {
    assertCheapRefusals(m -> new UhfA0Reader("r", Streams.ticking(), r -> {}, m), (byte) 0xA0);
  }

  private static void assertCheapRefusals(Function<DriverMetrics, ByteFramer> make, byte b) {
    byte[] wire = new byte[N];
    Arrays.fill(wire, b);
    Random split = new Random(20261204L);
    long bytes = 0;
    DriverMetrics m = null;
    int maxFrame = 0;
    for (int warm = 0; warm < 3; warm++) { // the last run counts: classes loaded, code compiled
      m = new DriverMetrics("t");
      ByteFramer f = make.apply(m);
      maxFrame = f.maxFrame();
      long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int i = 0; i < wire.length; ) {
        int n = 1 + split.nextInt(Math.min(64, wire.length - i));
        f.feed(wire, i, n);
        i += n;
      }
      f.idle();
      bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }
    assertThat(m.rejectedTotal()).as("refusals").isGreaterThan(N * 9L / 10);
    double perByte = bytes / (double) N;
    System.out.printf(
        Locale.ROOT,
        "%d refusals, %.1f bytes allocated per input byte%n",
        m.rejectedTotal(),
        perByte);
    assertThat(perByte).as("bytes allocated per input byte").isLessThan(320.0 + maxFrame);
  }
}
