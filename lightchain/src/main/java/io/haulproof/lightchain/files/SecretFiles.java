package io.haulproof.lightchain.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The one check of the project that a file holding a secret (a key, a passphrase, a token, DTLS
 * pre-shared keys) is not exposed: no group or other permission bit may be set. Writes of such
 * files go through {@link DurableFiles}, which creates them 0600.
 */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * Why {@code file} may not hold a secret, in words that name it and its mode, or empty if only
   * its owner may access it (or the file system has no POSIX modes). Callers wrap the reason in
   * their own error, naming the setting that pointed at the file.
   */
  public static Optional<String> exposure(Path file) throws IOException {
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
      return Optional.empty();
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    boolean exposed = mode.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
    if (!exposed) {
      return Optional.empty();
    }
    return Optional.of(
        file
            + " holds a secret but has mode "
            + PosixFilePermissions.toString(mode)
            + ", want rw------- (0600) or stricter: refusing to use it");
  }
}
