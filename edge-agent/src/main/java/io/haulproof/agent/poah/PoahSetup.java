package io.haulproof.agent.poah;

import io.haulproof.agent.mgmt.ConfigSnapshot;
import io.haulproof.agent.mgmt.MgmtOp;
import io.haulproof.agent.mgmt.RequestSigner;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.agent.provision.Pem;
import io.haulproof.authenticator.PoahSettings;
import io.haulproof.authenticator.node.NodeIdentity;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Setting up multi-node PoAh: an authenticator's data dir (its key, and a certificate from the
 * fleet CA for the authenticator role), its key rotation, and the signed configuration that names
 * the authenticator set and the quorum.
 *
 * <p>The configuration travels as a management {@code config} request signed by a provisioning key
 * ({@link RequestSigner}); the truck logs it as a {@code config} entry carrying that request,
 * exactly as the management flow does, so the chain itself says which set and quorum applied to
 * each block.
 */
public final class PoahSetup {
  private PoahSetup() {}

  /**
   * Creates (or completes) the authenticator data dir {@code dir}: the fleet name, the pinned fleet
   * root, a new key (if none) and a certificate for it issued by {@code ca}.
   *
   * @return the node's certificate
   */
  public static X509Certificate initAuthenticator(Path dir, FleetCa ca, String name)
      throws IOException {
    Files.createDirectories(dir);
    DurableFiles.write(
        dir.resolve(NodeIdentity.FLEET_FILE), (ca.fleet() + "\n").getBytes(StandardCharsets.UTF_8));
    Pem.writeCertificates(dir.resolve(NodeIdentity.ROOT_FILE), List.of(ca.root()));
    DeviceKey key = FileKeyStore.openOrCreate(dir);
    Path certFile = dir.resolve(NodeIdentity.CERT_FILE);
    if (Files.exists(certFile)) {
      X509Certificate existing = NodeIdentity.readCertificate(certFile);
      if (java.util.Arrays.equals(
          existing.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
        return existing;
      }
    }
    X509Certificate cert = ca.issueAuthenticator(name, key.publicKey());
    Pem.writeCertificates(certFile, List.of(cert));
    return cert;
  }

  /**
   * Rotates the authenticator key of {@code dir}: the old key directory is kept as {@code
   * keys.retired-N} (copied durably before the originals go), a new key is created and certified.
   * The node's chain states stay: what it signed at each height stays signed.
   *
   * @return the new certificate
   */
  public static X509Certificate rotateAuthenticator(Path dir, FleetCa ca, String name)
      throws IOException {
    Path keys = FileKeyStore.keysDir(dir);
    int n = 1;
    while (Files.exists(dir.resolve("keys.retired-" + n))) {
      n++;
    }
    Path retired = DurableFiles.createPrivateDirectories(dir.resolve("keys.retired-" + n));
    List<Path> files;
    try (var list = Files.list(keys)) {
      files = list.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      DurableFiles.copy(f, retired.resolve(f.getFileName()));
    }
    for (Path f : files) {
      Files.delete(f); // durable copies are in keys.retired-N
    }
    DurableFiles.syncDirectory(keys);
    return initAuthenticator(dir, ca, name);
  }

  /** The certificate of the authenticator in {@code dir}. */
  public static X509Certificate certificateOf(Path dir) throws IOException {
    return NodeIdentity.readCertificate(dir.resolve(NodeIdentity.CERT_FILE));
  }

  /** The configuration values that set the authenticator set {@code members} and {@code quorum}. */
  public static Map<String, String> values(int quorum, Map<String, X509Certificate> members)
      throws IOException {
    try {
      return PoahSettings.toConfig(quorum, members);
    } catch (CertificateException e) {
      throw new IOException("cannot encode an authenticator certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code config} entry that applies {@code values} on top of {@code previous}, carrying the
   * management request that {@code operator} signed for {@code target}.
   *
   * @param version the configuration version after the change
   */
  public static ConfigBody configEntry(
      OperatorCredentials operator,
      DeviceRef target,
      long version,
      Map<String, String> previous,
      Map<String, String> values)
      throws IOException {
    Map<String, CborValue> params = new LinkedHashMap<>();
    values.forEach((k, v) -> params.put(k, new CborText(v)));
    Bytes request =
        new RequestSigner(operator, Clock.systemUTC())
            .sign(MgmtOp.CONFIG, target, params, Duration.ofMinutes(10));
    TreeMap<String, String> before = new TreeMap<>(previous);
    TreeMap<String, String> after = new TreeMap<>(previous);
    after.putAll(values);
    Optional<Hash> prev =
        previous.isEmpty()
            ? Optional.empty()
            : Optional.of(Hash.sha256(ConfigSnapshot.canonical(before)));
    return new ConfigBody(
        version, "config", ConfigSnapshot.canonical(after), prev, Optional.of(request));
  }
}
