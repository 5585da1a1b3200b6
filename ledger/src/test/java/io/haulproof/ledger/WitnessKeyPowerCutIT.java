package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.testing.PowerCutRig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test on LazyFS: the witness key used to be written without an fsync, so a power cut
 * right after its creation left an empty {@code witness.p8} and a ledger that could not start.
 */
class WitnessKeyPowerCutIT {
  @TempDir Path tmp;

  @Test
  void loadOrCreate_powerCutRightAfterCreation_keepsTheSameKey() throws Exception {
    try (PowerCutRig rig = PowerCutRig.mount(tmp, 64)) {
      // given a witness key created on the mount
      Path dir = rig.dir().resolve("witness");
      DeviceKey created = WitnessKey.loadOrCreate(dir);

      // when the power fails
      rig.cut();

      // then the same key loads, and its public PEM is complete
      DeviceKey loaded = WitnessKey.loadOrCreate(dir);
      assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
      assertThat(
              PublicKeys.fromPem(
                  Files.readString(dir.resolve("witness.pub.pem"), StandardCharsets.US_ASCII)))
          .isEqualTo(created.publicKey());
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("witness.p8"))))
          .isEqualTo("rw-------");
    }
  }
}
