package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The witness's ES256 signing key: created on first start as unencrypted PKCS#8 DER in {@code
 * witness.p8} with mode 0600, its public key written next to it as {@code witness.pub.pem} for
 * devices to pin.
 *
 * <p>Security guarantees: the private key is never logged; the file is created 0600 before the key
 * is written, and made durable (fsync, rename, directory fsync) before it is used, so a power cut
 * never leaves an empty key file behind.
 */
public final class WitnessKey {
  private WitnessKey() {}

  public static DeviceKey loadOrCreate(Path dir) throws IOException {
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
      try {
        DurableFiles.write(file, der);
      } finally {
        Arrays.fill(der, (byte) 0);
      }
    }
    DeviceKey key =
        SoftwareDeviceKey.fromPrivateKeyInfo(PrivateKeyInfo.getInstance(Files.readAllBytes(file)));
    if (key.algorithm() != CoseAlgorithm.ES256) {
      throw new IOException("witness key in " + file + " is " + key.algorithm() + ", want ES256");
    }
    Path pub = dir.resolve("witness.pub.pem");
    byte[] pem = PublicKeys.toPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII);
    if (!Files.exists(pub) || !Arrays.equals(Files.readAllBytes(pub), pem)) {
      DurableFiles.write(pub, pem, DurableFiles.PUBLIC_READ);
    }
    return key;
  }
}
