package io.haulproof.lightchain.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.block.RecordFile;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.testing.PowerCutRig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests on LazyFS for the files that used to be written without an fsync: a power cut
 * right after the write must leave the complete new contents. The first test shows that LazyFS does
 * catch a write without fsync, so the others can fail.
 */
class DurableFilesPowerCutIT {
  @TempDir static Path tmp;
  @AutoClose private static PowerCutRig rig;

  @BeforeAll
  static void mount() throws Exception {
    rig = PowerCutRig.mount(tmp, 64);
  }

  @Test
  void writeAndRenameWithoutFsync_powerCut_losesTheContents() throws Exception {
    // given the old way of Lightchain's device.pub.pem: write a temp file, rename, no fsync
    Path dir = Files.createDirectories(rig.dir().resolve("plain"));
    Path tmpFile = dir.resolve("device.pub.pem.tmp");
    Files.writeString(tmpFile, "-----BEGIN PUBLIC KEY-----\n");
    Files.move(tmpFile, dir.resolve("device.pub.pem"), StandardCopyOption.ATOMIC_MOVE);

    // when
    rig.cut();

    // then the name survived (LazyFS passes renames through) but not a byte of the contents
    assertThat(dir.resolve("device.pub.pem")).exists();
    assertThat(Files.size(dir.resolve("device.pub.pem"))).isZero();
  }

  @Test
  void write_powerCutRightAfter_keepsTheNewContents() throws Exception {
    // given
    Path file = rig.dir().resolve("durable/a/state");
    DurableFiles.write(file, "old".getBytes(StandardCharsets.US_ASCII));

    // when
    DurableFiles.write(file, "new contents".getBytes(StandardCharsets.US_ASCII));
    rig.cut();

    // then
    assertThat(Files.readString(file)).isEqualTo("new contents");
  }

  @Test
  void lightchainOpen_powerCutRightAfter_devicePublicKeyIsCompleteAndReopens() throws Exception {
    // given a first open, which writes DATA/keys/device.pub.pem (it had no fsync before)
    Path data = rig.dir().resolve("truck");
    DeviceKey key = FileKeyStore.openOrCreate(data);
    LightchainOptions options = LightchainOptions.defaults("haulproof.io/v1/fleet/truck");
    Lightchain.open(data, key, "truck", options).close();

    // when
    rig.cut();

    // then
    String pem = Files.readString(DataDirLayout.devicePublicKey(data), StandardCharsets.US_ASCII);
    assertThat(PublicKeys.fromPem(pem)).isEqualTo(key.publicKey());
    Lightchain.open(data, FileKeyStore.openOrCreate(data), "truck", options).close();
  }

  @Test
  void recordFileCutBack_powerCutRightAfter_quarantinedCopyIsComplete() throws Exception {
    // given a record file with three durable records
    Path file = rig.dir().resolve("records/blocks.rec");
    byte[] magic = "HPTEST01".getBytes(StandardCharsets.US_ASCII);
    Path quarantine = rig.dir().resolve("records/quarantine");
    byte[] before;
    Path copy;
    try (RecordFile f = RecordFile.open(file, magic, quarantine)) {
      for (int i = 1; i <= 3; i++) {
        f.append(Bytes.wrap(new byte[] {(byte) i, 2, 3}));
      }
      before = Files.readAllBytes(file);

      // when two are cut off (copied to quarantine first) and the power fails
      copy = f.cutBackTo(1, "test");
    }
    rig.cut();

    // then the quarantined copy holds everything that was cut off
    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
  }
}
