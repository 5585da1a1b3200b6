package io.haulproof.lightchain.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFilesTest {
  @TempDir Path dir;

  private Path file(String mode) throws Exception {
    Path f = Files.writeString(dir.resolve("secret"), "s3cr3t-value");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "r--------", "rwx------", "---------"})
  void exposure_ownerOnlyModes_empty(String mode) throws Exception {
    assertThat(SecretFiles.exposure(file(mode))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "-------x", "rw---x---"})
  void exposure_groupOrOtherBit_namesFileAndModeNotContent(String mode) throws Exception {
    String padded = mode.length() == 9 ? mode : "-" + mode;
    Path f = file(padded);
    assertThat(SecretFiles.exposure(f))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains(f.toString())
                    .contains("has mode " + padded)
                    .contains("want rw------- (0600)")
                    .doesNotContain("s3cr3t"));
  }
}
