package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The wall clock is plausible and, preferably, synchronized: not before the newest file in the data
 * directory (a Pi without a real-time clock that booted without network can start in the past), and
 * NTP-synchronized according to systemd-timesyncd's flag file. Event times carry their source and
 * quality, so an unsynchronized clock is a WARN.
 */
final class ClockCheck implements DoctorCheck {
  private final Clock clock;
  private final Path syncFlag;

  ClockCheck(Clock clock, Path syncFlag) {
    this.clock = clock;
    this.syncFlag = syncFlag;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    Instant now = clock.instant();
    Optional<Instant> newest = newestFile(config.device().dataPath());
    if (newest.isPresent() && newest.get().isAfter(now.plusSeconds(60))) {
      return List.of(
          Finding.fail(
              "clock",
              "it is "
                  + now
                  + " but "
                  + config.device().dataDir()
                  + " has a file written at "
                  + newest.get()
                  + ": the clock went back (set it, or let GNSS/NTP fix it)"));
    }
    if (Files.exists(syncFlag)) {
      return List.of(Finding.ok("clock", now + ", synchronized (systemd-timesyncd)"));
    }
    return List.of(
        Finding.warn(
            "clock",
            now
                + ", not known to be synchronized (no "
                + syncFlag
                + "): events will carry a lower time quality"));
  }

  private static Optional<Instant> newestFile(Path dir) {
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> walk = Files.walk(dir, 3)) {
      return walk.filter(Files::isRegularFile)
          .map(ClockCheck::modified)
          .flatMap(Optional::stream)
          .max(Instant::compareTo);
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> modified(Path p) {
    try {
      FileTime t = Files.getLastModifiedTime(p);
      return Optional.of(t.toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
