package io.haulproof.agent.provision;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * A technician's provisioning key and its certificate, in a directory: {@code operator.key}
 * (PKCS#8, 0600), {@code operator.crt}, and {@code version} (the last request version used, so
 * versions only grow).
 *
 * <p>Security guarantees: the private key is created with mode 0600 and never printed.
 */
public final class OperatorCredentials {
  private final Path dir;
  private final DeviceKey key;
  private final X509Certificate certificate;

  private OperatorCredentials(Path dir, DeviceKey key, X509Certificate certificate) {
    this.dir = dir;
    this.key = key;
    this.certificate = certificate;
  }

  /** Creates a provisioning key in {@code dir} and has {@code ca} certify it. */
  public static OperatorCredentials issue(FleetCa ca, String name, Path dir) throws IOException {
    if (Files.exists(dir.resolve("operator.key"))) {
      throw new IOException(
          "an operator key already exists in " + dir + "; refusing to overwrite it");
    }
    KeyPair kp = Certificates.newP256KeyPair();
    X509Certificate cert = ca.issueOperator(name, kp.getPublic());
    Pem.writePrivateKey(dir.resolve("operator.key"), kp.getPrivate());
    Pem.writeCertificates(dir.resolve("operator.crt"), List.of(cert));
    return open(dir);
  }

  public static OperatorCredentials open(Path dir) throws IOException {
    Path keyFile = dir.resolve("operator.key");
    if (!Files.exists(keyFile)) {
      throw new IOException("no operator key in " + dir + "; run 'provision issue-operator' first");
    }
    PrivateKeyInfo info;
    try (PEMParser p = new PEMParser(Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII))) {
      if (!(p.readObject() instanceof PrivateKeyInfo i)) {
        throw new IOException("expected an unencrypted PKCS#8 PRIVATE KEY in " + keyFile);
      }
      info = i;
    }
    List<X509Certificate> certs = Pem.readCertificates(dir.resolve("operator.crt"));
    if (certs.size() != 1) {
      throw new IOException("operator.crt holds " + certs.size() + " certificates, want 1");
    }
    DeviceKey key = SoftwareDeviceKey.fromPrivateKeyInfo(info);
    if (!java.util.Arrays.equals(
        key.publicKey().getEncoded(), certs.get(0).getPublicKey().getEncoded())) {
      throw new IOException("operator.crt does not certify operator.key in " + dir);
    }
    return new OperatorCredentials(dir, key, certs.get(0));
  }

  public DeviceKey key() {
    return key;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The next request version: above the last one used from this directory and at least the current
   * time in milliseconds, so versions grow even across operator machines restored from backup.
   */
  public synchronized long nextVersion(Clock clock) throws IOException {
    Path f = dir.resolve("version");
    long last =
        Files.exists(f) ? Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim()) : 0;
    long next = Math.max(last + 1, clock.millis());
    DurableFiles.write(f, (next + "\n").getBytes(StandardCharsets.US_ASCII));
    return next;
  }
}
