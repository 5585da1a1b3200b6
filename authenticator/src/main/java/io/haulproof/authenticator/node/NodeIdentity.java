package io.haulproof.authenticator.node;

import io.haulproof.authenticator.Roles;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * An authenticator's identity in its data dir: the fleet name ({@code fleet}), the pinned fleet
 * root ({@code fleet-root.pem}), its own key ({@code keys/}, as a device key: encrypted PKCS#8 mode
 * 0600 with the passphrase from the usual sources) and the certificate the fleet CA issued for that
 * key in the authenticator role ({@code authenticator.crt}).
 *
 * <p>Security guarantees: {@link #open} refuses to run a node whose certificate is not issued by
 * the pinned root for the authenticator role, or does not certify its own key.
 */
public record NodeIdentity(
    String fleet, X509Certificate fleetRoot, DeviceKey key, X509Certificate certificate) {
  public static final String FLEET_FILE = "fleet";
  public static final String ROOT_FILE = "fleet-root.pem";
  public static final String CERT_FILE = "authenticator.crt";

  /**
   * Opens the identity of {@code dataDir}.
   *
   * @throws IOException naming the missing or wrong file
   */
  public static NodeIdentity open(Path dataDir) throws IOException {
    Path fleetFile = dataDir.resolve(FLEET_FILE);
    if (!Files.exists(fleetFile)) {
      throw new IOException(
          dataDir + " is not an authenticator data dir (no " + FLEET_FILE + " file)");
    }
    String fleet = Files.readString(fleetFile, StandardCharsets.UTF_8).trim();
    X509Certificate root = readCertificate(dataDir.resolve(ROOT_FILE));
    X509Certificate cert = readCertificate(dataDir.resolve(CERT_FILE));
    DeviceKey key = FileKeyStore.openOrCreate(dataDir);
    try {
      Roles.require(cert, root, Roles.AUTHENTICATOR);
    } catch (CertificateException e) {
      throw new IOException(CERT_FILE + ": " + e.getMessage(), e);
    }
    if (!Arrays.equals(cert.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
      throw new IOException(
          CERT_FILE + " certifies another key than this node's (" + key.kid() + ")");
    }
    return new NodeIdentity(fleet, root, key, cert);
  }

  public static X509Certificate readCertificate(Path pem) throws IOException {
    if (!Files.exists(pem)) {
      throw new IOException("missing " + pem);
    }
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    } catch (CertificateException e) {
      throw new IOException(pem + " is not a certificate: " + e.getMessage(), e);
    }
  }
}
