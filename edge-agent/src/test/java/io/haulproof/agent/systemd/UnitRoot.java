package io.haulproof.agent.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A throwaway filesystem root for {@code systemd-analyze verify --root}: the host's own systemd
 * units (so targets such as sysinit.target resolve) plus whatever the test installs.
 */
final class UnitRoot {
  private static final Path HOST_UNITS = Path.of("/usr/lib/systemd/system");

  private UnitRoot() {}

  /** Copies the host's unit directory into {@code root}/usr/lib/systemd/system. */
  static void addHostUnits(Path root) throws IOException {
    Path target = root.resolve("usr/lib/systemd/system");
    Files.createDirectories(target);
    try (Stream<Path> walk = Files.walk(HOST_UNITS)) {
      walk.forEach(
          src -> {
            Path dst = target.resolve(HOST_UNITS.relativize(src).toString());
            try {
              if (Files.isSymbolicLink(src)) {
                Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
              } else if (Files.isDirectory(src)) {
                Files.createDirectories(dst);
              } else {
                Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
