package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The device's identity on disk: which key in the {@link DeviceKeyStore} is active, its certificate
 * chain, the pinned fleet root and the cached CRL, and the state of a key rotation.
 *
 * <p>Rotation (DESIGN.md step 6) is a small state machine persisted in {@code identity.properties}:
 * {@code begin} creates a pending key; {@code switchToPending} makes it active while remembering
 * the previous one; {@code confirmSwitch} forgets and destroys the previous key; {@code
 * rollbackSwitch} restores it. If the agent stops between switch and confirm, {@link #open} rolls
 * back, because the new key was never confirmed in use.
 *
 * <p>Security guarantees: a certificate is installed only if the pinned root issued it for this
 * device and for the key it is installed with; the root itself is never replaced over the network;
 * a CRL is accepted only if newer.
 */
public final class DeviceIdentity {
  /**
   * The active key's public key (SubjectPublicKeyInfo PEM), rewritten atomically whenever the
   * active key changes.
   */
  public static final String ACTIVE_PUBLIC_FILE = "active.pub.pem";

  private final Path dir;
  private final DeviceRef ref;
  private final DeviceKeyStore keys;
  private final Clock clock;
  private final Properties state = new Properties();
  private FleetTrust trust;
  private DeviceKey active;

  private DeviceIdentity(Path dir, DeviceRef ref, DeviceKeyStore keys, Clock clock) {
    this.dir = dir;
    this.ref = ref;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Opens the identity in {@code dir}, creating the first key (step 1 of enrollment) if there is
   * none.
   *
   * @param pinnedRoot the fleet root installed with the agent (never taken from the network)
   */
  public static DeviceIdentity open(
      Path dir, DeviceRef ref, X509Certificate pinnedRoot, DeviceKeyStore keys, Clock clock)
      throws IOException {
    DurableFiles.createPrivateDirectories(dir);
    DeviceIdentity id = new DeviceIdentity(dir, ref, keys, clock);
    Path crlFile = dir.resolve("crl.der");
    X509CRL crl = null;
    if (Files.exists(crlFile)) {
      try {
        crl = Certificates.crlFromDer(Bytes.wrap(Files.readAllBytes(crlFile)));
      } catch (CRLException e) {
        throw new IOException("cached CRL " + crlFile + " is damaged: " + e.getMessage(), e);
      }
    }
    id.trust = FleetTrust.pinned(pinnedRoot, crl);
    Path stateFile = dir.resolve("identity.properties");
    if (Files.exists(stateFile)) {
      try (var r = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
        id.state.load(r);
      }
    }
    if (id.state.getProperty("previous") != null) {
      id.rollbackSwitch();
    }
    String alias = id.state.getProperty("active");
    if (alias == null) {
      alias = id.nextAlias();
      id.active = keys.create(alias);
      id.state.setProperty("active", alias);
      id.save();
    } else {
      String a = alias;
      id.active =
          keys.load(alias)
              .orElseThrow(() -> new IOException("active key " + a + " is missing from the store"));
    }
    id.publishActive();
    return id;
  }

  public DeviceRef ref() {
    return ref;
  }

  public synchronized DeviceKey activeKey() {
    return active;
  }

  public synchronized FleetTrust trust() {
    return trust;
  }

  /** The active key's certificate chain (leaf first), empty before enrollment. */
  public synchronized List<X509Certificate> chain() throws IOException {
    Path p = certPath(state.getProperty("active"));
    return Files.exists(p) ? Pem.readCertificates(p) : List.of();
  }

  /**
   * The stored certificate chain (leaf first) whose leaf certifies the key {@code kid}: the active
   * key's, or an earlier key's (a rotation keeps the replaced key's certificate, so that what it
   * signed can still be attributed, e.g. a chain's genesis block proposed to PoAh authenticators
   * after the key changed); empty if no stored certificate certifies it.
   */
  public synchronized List<X509Certificate> chainOf(Kid kid) throws IOException {
    try (java.nio.file.DirectoryStream<Path> certs = Files.newDirectoryStream(dir, "*.crt")) {
      for (Path p : certs) {
        List<X509Certificate> c = Pem.readCertificates(p);
        if (!c.isEmpty() && Kid.of(c.get(0).getPublicKey()).equals(kid)) {
          return c;
        }
      }
    }
    return List.of();
  }

  public synchronized boolean enrolled() {
    return Files.exists(certPath(state.getProperty("active")));
  }

  /** Verifies a newer CRL against the pinned root and caches it. */
  public synchronized void acceptCrl(X509CRL crl) throws IOException {
    FleetTrust next = trust.withCrl(crl);
    DurableFiles.write(dir.resolve("crl.der"), Certificates.der(crl).toByteArray());
    trust = next;
  }

  /** Installs the certificate of the active key (enrollment step 4). */
  public synchronized void installCertificate(List<X509Certificate> chain) throws IOException {
    trust.verifyDevice(chain.get(0), ref, active.publicKey(), clock.instant());
    Pem.writeCertificates(
        certPath(state.getProperty("active")), List.of(chain.get(0), trust.root()));
  }

  /** A fresh pending key and its CSR; a previous pending key is destroyed first. */
  public synchronized PKCS10CertificationRequest beginRotation() throws IOException {
    abortRotation();
    String alias = nextAlias();
    DeviceKey pending = keys.create(alias);
    state.setProperty("pending", alias);
    save();
    return CsrBuilder.build(pending, ref);
  }

  public synchronized Optional<DeviceKey> pendingKey() throws IOException {
    String alias = state.getProperty("pending");
    return alias == null ? Optional.empty() : keys.load(alias);
  }

  /** Destroys the pending key, if any. */
  public synchronized void abortRotation() throws IOException {
    String alias = state.getProperty("pending");
    if (alias != null) {
      keys.delete(alias);
      Files.deleteIfExists(certPath(alias));
      state.remove("pending");
      save();
    }
  }

  /**
   * Makes the pending key active after checking {@code cert} certifies it; returns the new active
   * key.
   *
   * @throws TrustException if the certificate is not for the pending key of this device
   */
  public synchronized DeviceKey switchToPending(X509Certificate cert) throws IOException {
    String alias = state.getProperty("pending");
    if (alias == null) {
      throw new IllegalStateException("no key rotation in progress");
    }
    DeviceKey pending =
        keys.load(alias).orElseThrow(() -> new IOException("pending key " + alias + " is missing"));
    trust.verifyDevice(cert, ref, pending.publicKey(), clock.instant());
    Pem.writeCertificates(certPath(alias), List.of(cert, trust.root()));
    state.setProperty("previous", state.getProperty("active"));
    state.setProperty("active", alias);
    state.remove("pending");
    save();
    active = pending;
    publishActive();
    return pending;
  }

  /** The key active before the switch, while the switch is unconfirmed. */
  public synchronized Optional<DeviceKey> previousKey() throws IOException {
    String alias = state.getProperty("previous");
    return alias == null ? Optional.empty() : keys.load(alias);
  }

  /** Confirms the switch: the previous key is forgotten and destroyed. */
  public synchronized void confirmSwitch() throws IOException {
    String old = state.getProperty("previous");
    if (old == null) {
      throw new IllegalStateException("no unconfirmed key switch");
    }
    state.remove("previous");
    save();
    keys.delete(old);
  }

  /**
   * Undoes an unconfirmed switch: the previous key is active again and the new one is destroyed.
   */
  public synchronized void rollbackSwitch() throws IOException {
    String old = state.getProperty("previous");
    if (old == null) {
      throw new IllegalStateException("no unconfirmed key switch");
    }
    String failed = state.getProperty("active");
    state.setProperty("active", old);
    state.remove("previous");
    save();
    active =
        keys.load(old).orElseThrow(() -> new IOException("previous key " + old + " is missing"));
    publishActive();
    if (failed != null) {
      keys.delete(failed);
      Files.deleteIfExists(certPath(failed));
    }
  }

  private String nextAlias() throws IOException {
    int gen = Integer.parseInt(state.getProperty("generation", "0")) + 1;
    state.setProperty("generation", Integer.toString(gen));
    save();
    return "device-" + gen;
  }

  /** Where the active key's public half is published, in an identity directory {@code dir}. */
  public static Path activePublicKey(Path dir) {
    return dir.resolve(ACTIVE_PUBLIC_FILE);
  }

  /**
   * Writes the active key's public half atomically to {@link #ACTIVE_PUBLIC_FILE}, for {@code
   * haulproof keys show} (the data dir's {@code keys/device.pub.pem} stays the chain's first key,
   * which verification starts from).
   */
  private void publishActive() throws IOException {
    DurableFiles.write(
        activePublicKey(dir),
        io.haulproof.lightchain.crypto.PublicKeys.toPem(active.publicKey())
            .getBytes(StandardCharsets.US_ASCII));
  }

  private Path certPath(String alias) {
    return dir.resolve((alias == null ? "none" : alias) + ".crt");
  }

  private void save() throws IOException {
    var out = new java.io.StringWriter();
    state.store(out, null);
    // Properties.store writes a date comment first; drop it so identical states give identical
    // files.
    String text = out.toString().replaceFirst("^#[^\n]*\n", "");
    DurableFiles.write(dir.resolve("identity.properties"), text.getBytes(StandardCharsets.UTF_8));
  }
}
