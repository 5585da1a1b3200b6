package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditors' bearer token: file rules and comparison. */
class AuditTokenTest {
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
    AuditToken t = AuditToken.read(file(TOKEN + "\n", "rw-------"));
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
    assertThatThrownBy(() -> AuditToken.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("0600")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void read_shortOrBlankToken_refused() throws Exception {
    Path shortOne = file("short-token\n", "r--------");
    assertThatThrownBy(() -> AuditToken.read(shortOne)).hasMessageContaining("at least 16");
    Path withSpace = file("auditor token 0123456789", "rw-------");
    assertThatThrownBy(() -> AuditToken.read(withSpace)).hasMessageNotContaining("0123456789");
  }

  @Test
  void toString_hidesTheToken() throws Exception {
    assertThat(AuditToken.read(file(TOKEN, "rw-------")).toString()).doesNotContain(TOKEN);
  }
}
