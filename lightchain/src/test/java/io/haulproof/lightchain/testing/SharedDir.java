package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The team's {@code shared/} directory (tools, captures) that lives beside the repository root,
 * both in a worktree here and in CI's clean clone.
 */
public final class SharedDir {
  private SharedDir() {}

  /**
   * {@code <repo root>/../shared}, the repo root being the nearest directory above the working
   * directory that holds {@code run-tests}.
   *
   * @throws IOException naming where it looked if it is absent: tests that need it fail, never skip
   */
  public static Path locate() throws IOException {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("run-tests"))
          && Files.isRegularFile(d.resolve("pom.xml"))) {
        Path shared = d.resolveSibling("shared");
        if (!Files.isDirectory(shared.resolve("tools"))) {
          throw new IOException(
              "shared/ not found beside the repository root "
                  + d
                  + " (want "
                  + shared
                  + "/tools): clone the repository next to shared/");
        }
        return shared;
      }
    }
    throw new IOException("no repository root (a directory with run-tests) above " + start);
  }
}
