package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Room for evidence and the quarantine: free space on the data directory's file system (FAIL under
 * 100 MiB, WARN under 1 GiB or 10 %), and how many damaged segments sit in DATA/quarantine (each
 * one is a signed loss entry the fleet office must look at).
 */
final class DiskCheck implements DoctorCheck {
  static final long FAIL_BELOW = 100L << 20;
  static final long WARN_BELOW = 1L << 30;

  @Override
  public List<Finding> run(AgentConfig config) {
    Path data = config.device().dataPath();
    List<Finding> out = new ArrayList<>();
    if (!Files.isDirectory(data)) {
      out.add(
          Finding.fail(
              "disk",
              data + " does not exist (is the package installed? systemd-tmpfiles --create)"));
      return out;
    }
    try {
      FileStore store = Files.getFileStore(data);
      long free = store.getUsableSpace();
      long total = store.getTotalSpace();
      String text = mib(free) + " free of " + mib(total) + " on " + data;
      if (free < FAIL_BELOW) {
        out.add(Finding.fail("disk", text + ": the log cannot grow much longer"));
      } else if (free < WARN_BELOW || (total > 0 && free * 10 < total)) {
        out.add(Finding.warn("disk", text + ": running low"));
      } else {
        out.add(Finding.ok("disk", text));
      }
    } catch (IOException e) {
      out.add(Finding.fail("disk", "cannot read free space of " + data + ": " + e.getMessage()));
    }
    out.add(quarantine(data.resolve("quarantine")));
    return out;
  }

  private static Finding quarantine(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Finding.ok("quarantine", "empty");
    }
    try (Stream<Path> files = Files.list(dir)) {
      long n = files.count();
      return n == 0
          ? Finding.ok("quarantine", "empty")
          : Finding.warn(
              "quarantine",
              n
                  + " damaged file(s) in "
                  + dir
                  + ": each has a signed loss entry; send them to the fleet office");
    } catch (IOException e) {
      return Finding.fail("quarantine", "cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
