package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Checks that secret files are not exposed (writes go through {@link DurableFiles}). */
final class SecretFiles {
  static final Set<PosixFilePermission> OWNER_RW = DurableFiles.OWNER_ONLY;

  private SecretFiles() {}

  /**
   * Checks that a secret file is readable by its owner only.
   *
   * @throws KeyStoreException naming the actual and wanted mode if group or others have any access
   */
  static void requireOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    EnumSet<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission x : p) {
      if (!x.name().startsWith("OWNER_")) {
        exposed.add(x);
      }
    }
    if (!exposed.isEmpty()) {
      throw new KeyStoreException(
          file
              + " has mode "
              + PosixFilePermissions.toString(p)
              + ", want rw------- (0600): refusing to use it");
    }
  }
}
