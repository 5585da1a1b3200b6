package io.haulproof.drivers.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.ByteSink;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.SocatPtyPair;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serial port that is missing at start, appears later (a {@code socat} pty linked at the
 * configured path), or whose reader fails: the source reports its state, retries, counts failures
 * and its thread never dies silently.
 */
class SerialPortStateIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;
  private SocatPtyPair pty;
  private SerialByteSource source;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (pty != null) {
      pty.close();
    }
  }

  private static SerialSettings fast(Path port) {
    return new SerialSettings(
        port.toString(), 9600, 8, 0, 1, Duration.ofMillis(200), Duration.ofMillis(50));
  }

  /** Collects bytes; optionally throws on the first feed. */
  private static final class Collect implements ByteSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final AtomicInteger feeds = new AtomicInteger();
    volatile Throwable throwFirst;

    @Override
    public synchronized void feed(byte[] data, int off, int n) {
      Throwable t = throwFirst;
      if (feeds.getAndIncrement() == 0 && t != null) {
        if (t instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) t;
      }
      bytes.write(data, off, n);
    }

    synchronized String text() {
      return bytes.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  @Test
  void missingPort_reconnectingWithReasonAndCounted_thenOpensWhenPtyAppears() throws Exception {
    // given a configured port that does not exist yet
    Path port = dir.resolve("ttyB");
    DriverMetrics m = new DriverMetrics("rfid");
    Collect sink = new Collect();
    source = new SerialByteSource(fast(port), sink, m).start();
    // when
    Await.until(() -> source.failures() >= 3, WAIT, "source.failures() >= 3");
    // then: reported, counted, retried, the thread alive
    assertThat(source.state())
        .isInstanceOfSatisfying(
            PortState.Reconnecting.class, r -> assertThat(r.reason()).isEqualTo("port missing"));
    assertThat(source.isOpen()).isFalse();
    assertThat(source.loopHealthy()).isTrue();
    assertThat(m.rejectedCount("port-missing")).isGreaterThanOrEqualTo(3);
    // when the technician plugs it in
    pty = SocatPtyPair.inDir(dir);
    Await.until(source::isOpen, WAIT, "source.isOpen()");
    try (OutputStream out = new FileOutputStream(pty.a().toFile())) {
      out.write("E200".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    // then
    Await.until(() -> sink.text().equals("E200"), WAIT, "sink.text().equals(\"E200\")");
    assertThat(source.state()).isInstanceOf(PortState.Open.class);
    assertThat(source.loopHealthy()).isTrue();
  }

  @Test
  void missingPathWhoseNameExistsInDev_neverOpensTheDevDevice() throws Exception {
    // given: jSerialComm alone would rewrite <dir>/gone/ptmx to /dev/ptmx and open that
    assertThat(Files.exists(Path.of("/dev/ptmx"))).isTrue();
    Path port = dir.resolve("gone").resolve("ptmx");
    DriverMetrics m = new DriverMetrics("rfid");
    source = new SerialByteSource(fast(port), new Collect(), m).start();
    // when
    Await.until(() -> source.failures() >= 3, WAIT, "source.failures() >= 3");
    // then
    assertThat(source.isOpen()).isFalse();
    assertThat(source.state().describe()).contains("port missing");
    assertThat(m.rejectedCount("port-missing")).isEqualTo(m.rejectedTotal());
  }

  @Test
  void sinkThrows_reconnectsAndKeepsReading() throws Exception {
    // given a decoder that fails on the first bytes
    pty = SocatPtyPair.inDir(dir);
    Collect sink = new Collect();
    sink.throwFirst = new IllegalStateException("decoder bug");
    DriverMetrics m = new DriverMetrics("rfid");
    source = new SerialByteSource(fast(pty.b()), sink, m).start();
    Await.until(source::isOpen, WAIT, "source.isOpen()");
    try (OutputStream out = new FileOutputStream(pty.a().toFile())) {
      // when
      out.write('x');
      out.flush();
      Await.until(
          () -> m.rejectedCount("read-failed") == 1, WAIT, "m.rejectedCount(\"read-failed\") == 1");
      Await.until(source::isOpen, WAIT, "source.isOpen()");
      out.write("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      // then
      Await.until(() -> sink.text().contains("ok"), WAIT, "sink.text().contains(\"ok\")");
    }
    assertThat(source.failures()).isEqualTo(1);
    assertThat(source.loopHealthy()).isTrue();
  }

  @Test
  void sinkThrowsError_failedStateAndLoopUnhealthy() throws Exception {
    // given
    pty = SocatPtyPair.inDir(dir);
    Collect sink = new Collect();
    sink.throwFirst = new StackOverflowError("deep decoder");
    source = new SerialByteSource(fast(pty.b()), sink, new DriverMetrics("rfid")).start();
    Await.until(source::isOpen, WAIT, "source.isOpen()");
    // when
    try (OutputStream out = new FileOutputStream(pty.a().toFile())) {
      out.write('x');
    }
    // then
    Await.until(() -> !source.loopHealthy(), WAIT, "!source.loopHealthy()");
    assertThat(source.state())
        .isInstanceOfSatisfying(
            PortState.Failed.class, f -> assertThat(f.reason()).contains("deep decoder"));
    assertThat(source.isOpen()).isFalse();
  }
}
