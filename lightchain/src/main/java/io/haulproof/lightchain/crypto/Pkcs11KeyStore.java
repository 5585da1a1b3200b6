package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.login.LoginException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The device key on a PKCS#11 token (a TPM, secure element or HSM; SoftHSM2 in tests) through the
 * JDK's SunPKCS11 provider.
 *
 * <p>The key is a P-256 key generated on the token as sensitive and non-extractable ({@code
 * CKA_SENSITIVE = true}, {@code CKA_EXTRACTABLE = false}), stored as a token object under {@code
 * alias} together with a self-signed certificate (SunPKCS11 keeps private key entries only with a
 * certificate). The public key is also written as PEM beside the data, so it can be read without
 * the PIN. PKCS#11 login state is per process: once any store in this JVM has logged in to the
 * token, later logins are not re-checked until {@link #logout()}.
 *
 * <p>Security guarantees: the private key never leaves the token; signing happens on the token. The
 * PIN is taken from the {@link PassphraseSource} for each login and wiped after use.
 */
public final class Pkcs11KeyStore implements DeviceKeyStore {
  private final Path library;
  private final int slotListIndex;
  private final PassphraseSource pin;
  private final String alias;
  private final Path publicFile;
  private Provider provider;

  /**
   * A store on the token in slot list position {@code slotListIndex} of the PKCS#11 module {@code
   * library}.
   *
   * @param publicFile where the public key PEM is written, e.g. {@code DATA/keys/device.pub.pem}
   */
  public Pkcs11KeyStore(
      Path library, int slotListIndex, PassphraseSource pin, String alias, Path publicFile) {
    this.library = library;
    this.slotListIndex = slotListIndex;
    this.pin = pin;
    this.alias = alias;
    this.publicFile = publicFile;
  }

  @Override
  public Optional<PublicKey> publicKey() {
    if (!Files.isRegularFile(publicFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          PublicKeys.fromPem(Files.readString(publicFile, StandardCharsets.US_ASCII)));
    } catch (IOException | VerificationException e) {
      throw new KeyStoreException(
          "cannot read public key " + publicFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * One SunPKCS11 provider per module and slot for the whole process: each provider holds native
   * sessions, and the token's login state is per process anyway.
   */
  private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

  private synchronized Provider provider() {
    if (provider == null) {
      provider =
          PROVIDERS.computeIfAbsent(
              library.toAbsolutePath() + "#" + slotListIndex, k -> configure());
    }
    return provider;
  }

  private Provider configure() {
    String config =
        "--name=haulproof-"
            + slotListIndex
            + "\nlibrary="
            + library
            + "\nslotListIndex="
            + slotListIndex
            + "\nattributes(generate, CKO_PRIVATE_KEY, *) = {\n"
            + "  CKA_TOKEN = false\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new KeyStoreException("the JDK has no SunPKCS11 provider");
    }
    try {
      return base.configure(config);
    } catch (RuntimeException e) {
      throw new KeyStoreException(
          "cannot load PKCS#11 module "
              + library
              + " slot index "
              + slotListIndex
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public synchronized DeviceKey openOrCreate() {
    Provider p = provider();
    char[] secret = pin.passphrase();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, secret);
      if (!ks.isKeyEntry(alias)) {
        create(ks, p);
      }
      PrivateKey priv = (PrivateKey) ks.getKey(alias, null);
      Certificate cert = ks.getCertificate(alias);
      if (priv == null || cert == null) {
        throw new KeyStoreException("token entry " + alias + " has no private key or certificate");
      }
      PublicKey pub = cert.getPublicKey();
      if (!"EC".equals(priv.getAlgorithm()) || PublicKeys.algorithmOf(pub) != CoseAlgorithm.ES256) {
        throw new KeyStoreException(
            "token entry " + alias + " is not a P-256 key: " + priv.getAlgorithm());
      }
      // Normalise to a JDK key so that Kid and PEM use the standard SubjectPublicKeyInfo encoding.
      PublicKey jdkPub = PublicKeys.fromSpki(PublicKeys.spki(pub));
      Optional<PublicKey> published = publicKey();
      if (published.isEmpty() || !Kid.of(published.get()).equals(Kid.of(jdkPub))) {
        DurableFiles.createPrivateDirectories(publicFile.toAbsolutePath().getParent());
        DurableFiles.write(
            publicFile,
            PublicKeys.toPem(jdkPub).getBytes(StandardCharsets.US_ASCII),
            DurableFiles.PUBLIC_READ);
      }
      return new Pkcs11DeviceKey(p, priv, jdkPub);
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyStoreException(
          "cannot open PKCS#11 key " + alias + " on " + library + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private void create(KeyStore ks, Provider p) throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC", p);
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = gen.generateKeyPair();
    ks.setKeyEntry(alias, kp.getPrivate(), null, new Certificate[] {selfSigned(kp, p)});
  }

  private X509Certificate selfSigned(KeyPair kp, Provider p) throws GeneralSecurityException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=haulproof device key " + alias);
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              new JcaX509v3CertificateBuilder(
                      name,
                      BigInteger.valueOf(now.toEpochMilli()),
                      Date.from(now.minus(1, ChronoUnit.DAYS)),
                      Date.from(now.plus(36500, ChronoUnit.DAYS)),
                      name,
                      kp.getPublic())
                  .build(
                      new JcaContentSignerBuilder("SHA256withECDSA")
                          .setProvider(p)
                          .build(kp.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the placeholder certificate on the token", e);
    }
  }

  /**
   * Logs the application out of the token. PKCS#11 login state belongs to the whole process, so
   * this ends it for every key opened from this token in this JVM.
   */
  public synchronized void logout() {
    if (provider instanceof AuthProvider auth) {
      try {
        auth.logout();
      } catch (LoginException e) {
        throw new KeyStoreException(
            "cannot log out of PKCS#11 token on " + library + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "Pkcs11KeyStore[" + library + ", slot index " + slotListIndex + ", alias " + alias + "]";
  }
}
