package io.haulproof.drivers.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The gpsd client against a tiny in-test TCP server that serves gpsd's own JSON output, recorded in
 * the gpsd regression suite (captures/gpsd/ac12.log.chk), after checking the client sent ?WATCH.
 */
class GpsdClientTest {
  private static List<String> recordedReports() throws Exception {
    try (var in = GpsdClientTest.class.getResourceAsStream("/captures/gpsd/ac12.log.chk")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith("{"))
          .toList();
    }
  }

  @Test
  void client_recordedTpvAndSky_fixesWithGpsdValues() throws Exception {
    // given
    List<String> reports = recordedReports();
    long tpvCount = reports.stream().filter(l -> l.contains("\"class\":\"TPV\"")).count();
    AtomicReference<String> command = new AtomicReference<>();
    List<GpsFix> fixes = new CopyOnWriteArrayList<>();
    DriverMetrics m = new DriverMetrics("gpsd");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serve(server, command, reports));
      t.start();
      // when
      try (GpsdClient c =
          new GpsdClient(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                  "gpsd0",
                  Duration.ofSeconds(1),
                  Stamp::now,
                  fixes::add,
                  m)
              .start()) {
        // every line the server sent handled: VERSION, the reports and the three after them
        long lines = 1 + reports.size() + 3;
        Await.until(
            () -> m.acceptedCount() + m.rejectedTotal() >= lines,
            Duration.ofSeconds(60),
            lines + " lines handled",
            () -> "accepted " + m.acceptedCount() + ", rejected " + m.rejectedTotal());
      }
      t.join(10_000);
    }
    // then
    assertThat(command.get()).isEqualTo("?WATCH={\"enable\":true,\"json\":true};");
    assertThat(fixes)
        .hasSize((int) tpvCount + 1); // plus the garbage-free TPV sent after the junk lines
    GpsFix first = fixes.stream().filter(f -> f.utcTime().isPresent()).findFirst().orElseThrow();
    assertThat(first.utcTime()).contains(LocalTime.of(19, 32, 21));
    assertThat(first.latitude().getAsDouble()).isCloseTo(20.628798333, within(1e-9));
    assertThat(first.mode()).isEqualTo(FixMode.FIX_3D);
    assertThat(first.status()).isEqualTo(ReadingStatus.VALID);
    assertThat(m.rejectedCount("json")).isEqualTo(1);
    assertThat(m.rejectedCount("range")).isEqualTo(1);
  }

  private static void serve(
      ServerSocket server, AtomicReference<String> command, List<String> reports) {
    try (Socket s = server.accept()) {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      command.set(r.readLine());
      OutputStream out = s.getOutputStream();
      out.write("{\"class\":\"VERSION\",\"release\":\"3.25\"}\n".getBytes(StandardCharsets.UTF_8));
      for (String l : reports) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.write(
          "{\"class\":\"TPV\",\"mode\":3,\"lat\":91.5,\"lon\":0}\nnot json\n"
              .getBytes(StandardCharsets.UTF_8));
      out.write("{\"class\":\"TPV\",\"mode\":1}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      // hold the connection until the client closes it (EOF), so it reads all of the above
      while (r.readLine() != null) {
        // the client sends nothing more after WATCH; anything it does send is ignored
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
