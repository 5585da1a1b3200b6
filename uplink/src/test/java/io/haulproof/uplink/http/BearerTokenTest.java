package io.haulproof.uplink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bearer token file: its rules, and the comparison. */
class BearerTokenTest {
  private static final String TOKEN = "auditor-token-0123456789abcdef";

  @TempDir Path tmp;

  private Path file(String content, String mode) throws IOException {
    Path f = tmp.resolve("token");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void admits_theTokenOnly() throws Exception {
    // given
    BearerToken t = BearerToken.read(file(TOKEN + "\n", "rw-------"), "--audit-token-file");
    // then
    assertThat(t.admits("Bearer " + TOKEN)).isTrue();
    assertThat(t.admits("bearer " + TOKEN)).isTrue();
    assertThat(t.admits(null)).isFalse();
    assertThat(t.admits("")).isFalse();
    assertThat(t.admits("Bearer")).isFalse();
    assertThat(t.admits("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(t.admits("Bearer " + TOKEN + "x")).isFalse();
    assertThat(t.admits("Basic " + TOKEN)).isFalse();
    assertThat(t.admits(TOKEN)).isFalse();
  }

  @Test
  void read_fileOthersMayRead_refusedNamingTheMode() throws Exception {
    Path f = file(TOKEN, "rw-r--r--");
    assertThatThrownBy(() -> BearerToken.read(f, "--audit-token-file"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("0600")
        .hasMessageNotContaining(TOKEN)
        .hasMessageContaining("--audit-token-file");
  }

  @Test
  void read_shortOrBlankToken_refused() throws Exception {
    Path shortOne = file("short-token\n", "r--------");
    assertThatThrownBy(() -> BearerToken.read(shortOne, "--audit-token-file"))
        .hasMessageContaining("--audit-token-file")
        .hasMessageContaining(">= 16")
        .hasMessageNotContaining("short-token");
    Path blank = file("   \n", "rw-------");
    assertThatThrownBy(() -> BearerToken.read(blank, "--audit-token-file"))
        .hasMessageContaining("token of 0 characters");
  }

  @Test
  void toString_hidesTheToken() throws Exception {
    assertThat(BearerToken.read(file(TOKEN, "rw-------"), "--audit-token-file").toString())
        .doesNotContain(TOKEN);
  }
}
