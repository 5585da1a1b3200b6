package io.haulproof.lightchain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WriterJvm} on a real child JVM ({@link Printer}): what the power-cut tests rely on. */
class WriterJvmIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  @AutoClose private WriterJvm writer;

  @Test
  void kill_afterAcknowledgements_linesHoldEveryWholeLineButNotTheCutOne() throws Exception {
    // given a writer that says it is ready, acknowledges 1..5000, then is cut in mid-line
    writer = start("printer", "5000", "block");

    // when it acknowledged them all and is killed
    long acked = writer.awaitAckAbove(4999, WAIT);
    writer.kill();

    // then every whole line is there, in order, and the one without its newline is not
    assertThat(acked).isEqualTo(5000);
    assertThat(writer.isAlive()).isFalse();
    List<String> lines = writer.lines();
    assertThat(lines.get(0)).isEqualTo("ready");
    assertThat(lines.subList(1, lines.size()))
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 5000).mapToObj(Long::toString).toList());
    assertThat(writer.maxAck()).isEqualTo(5000);
  }

  @Test
  void awaitAckAbove_writerExitsFirst_failsWithItsOutput() throws Exception {
    // given a writer that acknowledges 1..3 and exits
    writer = start("exits", "3", "exit");

    // when / then waiting for a fourth fails at once, naming what it wrote
    assertThatThrownBy(() -> writer.awaitAckAbove(3, WAIT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ended before acknowledgement above 3")
        .hasMessageContaining("exits stdout");
    assertThat(writer.maxAck()).isEqualTo(3);
  }

  private WriterJvm start(String name, String count, String then) throws Exception {
    return WriterJvm.start(tmp, name, List.of("-Xmx32m"), Printer.class, List.of(count, then));
  }

  /**
   * The child: prints {@code ready}, then 1..N a line each (one unbuffered write per line, as the
   * writers do), then either exits with 3 ({@code exit}) or writes a line without its newline and
   * blocks until killed ({@code block}).
   */
  public static final class Printer {
    private Printer() {}

    public static void main(String[] args) throws Exception {
      OutputStream out = new FileOutputStream(FileDescriptor.out);
      out.write("ready\n".getBytes(StandardCharsets.US_ASCII));
      long n = Long.parseLong(args[0]);
      for (long i = 1; i <= n; i++) {
        out.write((i + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      if (args[1].equals("exit")) {
        System.exit(3);
      }
      out.write(Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII));
      Thread.currentThread().join();
    }
  }
}
