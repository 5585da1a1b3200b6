package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The witness's ES256 signing key: created on first start as unencrypted PKCS#8 DER in {@code
 * witness.p8} with mode 0600, its public key written next to it as {@code witness.pub.pem} for
 * devices to pin.
 *
 * <p>Security guarantees: the private key is never logged; the file is created 0600 before the key
 * is written.
 */
public final class WitnessKey {
  private WitnessKey() {}

  public static DeviceKey loadOrCreate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("witness.p8");
    if (!Files.exists(file)) {
      byte[] der;
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        der = g.generateKeyPair().getPrivate().getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot create witness key", e);
      }
      Path tmp = dir.resolve("witness.p8.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, der);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    DeviceKey key =
        SoftwareDeviceKey.fromPrivateKeyInfo(PrivateKeyInfo.getInstance(Files.readAllBytes(file)));
    if (key.algorithm() != CoseAlgorithm.ES256) {
      throw new IOException("witness key in " + file + " is " + key.algorithm() + ", want ES256");
    }
    Files.writeString(dir.resolve("witness.pub.pem"), PublicKeys.toPem(key.publicKey()));
    return key;
  }
}
