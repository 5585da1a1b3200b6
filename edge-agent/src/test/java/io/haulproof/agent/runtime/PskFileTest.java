package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.agent.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PskFileTest {
  @TempDir Path dir;

  private Path write(String text, String mode) throws Exception {
    Path f = dir.resolve("psk.txt");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void load_ownerOnlyFileWithComment_returnsIdentityAndKeyBytes() throws Exception {
    // given
    Path f = write("# nodes\nbin-7 000102030405060708090a0b0c0d0e0f\n", "rw-------");
    // when / then
    assertThat(PskFile.load(f)).containsOnlyKeys("bin-7");
    assertThat(new String(PskFile.load(f).get("bin-7"), StandardCharsets.ISO_8859_1))
        .hasSize(16)
        .startsWith("\0\1\2");
  }

  @Test
  void load_groupReadable_rejectedNamingKeyAndMode() throws Exception {
    // given
    Path f = write("bin-7 000102030405060708090a0b0c0d0e0f\n", "rw-r-----");
    // when / then
    assertThatThrownBy(() -> PskFile.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("remote.pskFile")
        .hasMessageContaining("rw-r-----");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bin-7|want IDENTITY HEXKEY",
        "bin-7 zz0102030405060708090a0b0c0d0e0f|is not hex",
        "bin-7 0001|has 2 bytes, want at least 16",
        "# only a comment|lists no IDENTITY HEXKEY line",
        "bin-7 000102030405060708090a0b0c0d0e0f\\nbin-7 000102030405060708090a0b0c0d0e0f|listed twice"
      })
  void load_badLine_rejectedNamingKeyAndProblem(String text, String expected) throws Exception {
    // given
    Path f = write(text.replace("\\n", "\n") + "\n", "rw-------");
    // when / then
    assertThatThrownBy(() -> PskFile.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("remote.pskFile")
        .hasMessageContaining(expected);
  }
}
