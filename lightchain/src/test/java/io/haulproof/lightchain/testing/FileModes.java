package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** POSIX modes of files for assertions, e.g. "rw-------". */
public final class FileModes {
  private FileModes() {}

  /** The POSIX permission string of {@code file}, e.g. "rw-------". */
  public static String of(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
