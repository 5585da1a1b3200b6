package io.haulproof.lightchain.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageCheckTest {
  @TempDir Path tmp;

  @Test
  void check_roomAboveReserve_isWritableAndLeavesNoProbe() {
    // when
    StorageCheck.Writability w = new StorageCheck(tmp, 0).check();

    // then
    assertThat(w.writable()).as(w.reason()).isTrue();
    assertThat(w.usableBytes()).isPositive();
    assertThat(tmp.resolve(StorageCheck.PROBE)).doesNotExist();
  }

  @Test
  void check_lessThanReserve_isNotWritableNamingBothFigures() {
    // when
    StorageCheck.Writability w = new StorageCheck(tmp, Long.MAX_VALUE).check();

    // then
    assertThat(w.writable()).isFalse();
    assertThat(w.reason()).startsWith("disk full under").contains("need " + Long.MAX_VALUE);
  }

  @Test
  void check_missingDirectory_isNotWritableWithTheReason() {
    // when
    StorageCheck.Writability w = new StorageCheck(tmp.resolve("gone"), 0).check();

    // then
    assertThat(w.writable()).isFalse();
    assertThat(w.reason()).contains("gone");
  }
}
