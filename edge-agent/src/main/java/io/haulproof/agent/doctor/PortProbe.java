package io.haulproof.agent.doctor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Opens a serial device (or pty) the way a driver would, read and write, without changing its line
 * settings, and can read text from it for a while. Opening happens on a separate thread because a
 * tty without CLOCAL may block in open(2) waiting for carrier.
 */
final class PortProbe {
  private PortProbe() {}

  /**
   * Empty when {@code device} opens for reading and writing within {@code timeout}, otherwise the
   * problem.
   */
  static String openProblem(Path device, Duration timeout) {
    if (!Files.exists(device)) {
      return device + " does not exist (cable unplugged, or wrong path?)";
    }
    CompletableFuture<String> open =
        CompletableFuture.supplyAsync(
            () -> {
              try (FileChannel ch =
                  FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return ch.isOpen() ? "" : device + " closed itself at once";
              } catch (IOException e) {
                return device
                    + " does not open: "
                    + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("denied")
                        ? " (is the user in group dialout?)"
                        : "");
              }
            },
            PortProbe::daemon);
    try {
      return open.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return device
          + " did not open within "
          + timeout.toMillis()
          + " ms (a modem line waiting for carrier?)";
    } catch (ExecutionException e) {
      return device + " does not open: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while opening " + device;
    }
  }

  /**
   * Reads text lines from {@code device} until one satisfies {@code wanted} or {@code timeout}
   * passes.
   *
   * @return the lines read (the last one is the wanted one, if it came)
   */
  static List<String> readLines(Path device, Duration timeout, Predicate<String> wanted) {
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(512);
                StringBuilder line = new StringBuilder();
                while (ch.read(buf) >= 0) {
                  buf.flip();
                  while (buf.hasRemaining()) {
                    char c = (char) (buf.get() & 0xFF);
                    if (c == '\n') {
                      String l = line.toString().strip();
                      line.setLength(0);
                      if (!l.isEmpty()) {
                        lines.add(l);
                        if (wanted.test(l)) {
                          return;
                        }
                      }
                    } else if (line.length() < 256) {
                      line.append(c);
                    }
                  }
                  buf.clear();
                }
              } catch (IOException e) {
                lines.add("(read error: " + e.getMessage() + ")");
              }
            },
            PortProbe::daemon);
    try {
      reader.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reader.cancel(true);
    } catch (ExecutionException e) {
      lines.add("(read error: " + e.getCause() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(lines);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "doctor-port");
    t.setDaemon(true);
    t.start();
  }
}
