package io.haulproof.agent.provision;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PassphraseSource;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The child JVM of {@link KeyRotationPowerCutIT}: opens (or creates) a device identity and rotates
 * its key again and again as the management service does (begin, switch to the certified pending
 * key, confirm), printing the active kid on a line of its own to stdout (a pipe to the test, off
 * the mount) after each confirm.
 *
 * <p>Arguments: caDir keysDir identityDir.
 */
public final class RotationWriter {
  static final DeviceRef REF = new DeviceRef("acme", "truck-7");
  static final char[] PASS = "rotation test pass".toCharArray();

  private RotationWriter() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    FleetCa ca = FleetCa.init(Path.of(args[0]), "acme", clock);
    DeviceIdentity id = open(ca, Path.of(args[1]), Path.of(args[2]), clock);
    // unbuffered: one write per acknowledgement, so a kill never leaves one half-sent
    try (OutputStream acked = new FileOutputStream(FileDescriptor.out)) {
      while (true) {
        id.switchToPending(ca.issueDevice(id.beginRotation(), REF.device()));
        id.confirmSwitch();
        acked.write((id.activeKey().kid().toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
        acked.flush();
      }
    }
  }

  static DeviceIdentity open(FleetCa ca, Path keysDir, Path identityDir, Clock clock)
      throws Exception {
    LightchainKeyStores keys =
        LightchainKeyStores.files(keysDir, PassphraseSource.of(PASS.clone()), CoseAlgorithm.ES256);
    return DeviceIdentity.open(identityDir, REF, ca.root(), keys, clock);
  }
}
