package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.files.SecretFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The device key as an encrypted PKCS#8 file: {@code keys/device.p8} (PEM "ENCRYPTED PRIVATE KEY",
 * PBES2 with scrypt N=2^14, r=8, p=1 and AES-256-CBC, mode 0600) and {@code keys/device.pub.pem}
 * (SubjectPublicKeyInfo PEM, mode 0644). Scrypt at N=2^14 needs 16 MiB, which fits the agent's 64
 * MiB heap.
 *
 * <p>Security guarantees: the key file is created with mode 0600 from the start and refused when
 * group or others can access it; the decrypted key lives only inside the returned {@link
 * SoftwareDeviceKey}; the public PEM must match the private key, or opening fails. Writes are
 * atomic (temp file, force, rename), so a crash leaves either no key or a whole one. OpenSSL 3
 * reads the file ({@code openssl pkey -in device.p8}).
 */
public final class FileKeyStore implements DeviceKeyStore {
  public static final String KEY_FILE = "device.p8";
  public static final String PUBLIC_FILE = "device.pub.pem";
  private static final int SCRYPT_LOG2_N = 14;

  /**
   * Not registered globally; only passed to the PKCS#8 encryptor and decryptor. Loading it costs
   * ~0.5 s once.
   */
  private static final Provider BC = new BouncyCastleProvider();

  private final Path keysDir;
  private final PassphraseSource passphrase;
  private final CoseAlgorithm algorithm;

  /**
   * A store in {@code keysDir} creating {@code algorithm} keys.
   *
   * @param passphrase supplies the passphrase on create and open
   */
  public FileKeyStore(Path keysDir, PassphraseSource passphrase, CoseAlgorithm algorithm) {
    this.keysDir = keysDir;
    this.passphrase = passphrase;
    this.algorithm = algorithm;
  }

  /** The keys directory of a data dir: {@code DATA/keys}. */
  public static Path keysDir(Path dataDir) {
    return dataDir.resolve("keys");
  }

  /**
   * Opens or creates the ES256 device key of {@code dataDir} for the demo, benchmarks and chain
   * commands, with the passphrase from {@link PassphraseSource#resolveOrCreate} over the process
   * environment.
   */
  public static DeviceKey openOrCreate(Path dataDir) {
    Path dir = keysDir(dataDir);
    return new FileKeyStore(
            dir, PassphraseSource.resolveOrCreate(dir, System.getenv()), CoseAlgorithm.ES256)
        .openOrCreate();
  }

  /** The public key of {@code dataDir}'s device key, if one exists; needs no passphrase. */
  public static Optional<PublicKey> readPublicKey(Path dataDir) {
    return readPublic(keysDir(dataDir).resolve(PUBLIC_FILE));
  }

  public Path keyFile() {
    return keysDir.resolve(KEY_FILE);
  }

  public Path publicFile() {
    return keysDir.resolve(PUBLIC_FILE);
  }

  @Override
  public Optional<PublicKey> publicKey() {
    return readPublic(publicFile());
  }

  private static Optional<PublicKey> readPublic(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(PublicKeys.fromPem(Files.readString(file, StandardCharsets.US_ASCII)));
    } catch (IOException | VerificationException e) {
      throw new KeyStoreException("cannot read public key " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized DeviceKey openOrCreate() {
    return Files.exists(keyFile()) ? open() : create();
  }

  private DeviceKey create() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(algorithm);
    char[] pass = passphrase.passphrase();
    try {
      DurableFiles.createPrivateDirectories(keysDir);
      OutputEncryptor enc =
          new JcePKCSPBEOutputEncryptorBuilder(
                  new ScryptConfig.Builder(1 << SCRYPT_LOG2_N, 8, 1).withSaltLength(16).build(),
                  NISTObjectIdentifiers.id_aes256_CBC)
              .setProvider(BC)
              .build(pass);
      PKCS8EncryptedPrivateKeyInfo encrypted =
          new PKCS8EncryptedPrivateKeyInfoBuilder(key.privateKeyInfo()).build(enc);
      String pem = pem(new PemObject("ENCRYPTED PRIVATE KEY", encrypted.getEncoded()));
      // Public first: a crash between the two writes leaves a public PEM without key, which
      // create() overwrites.
      DurableFiles.write(
          publicFile(),
          PublicKeys.toPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII),
          DurableFiles.PUBLIC_READ);
      DurableFiles.write(
          keyFile(), pem.getBytes(StandardCharsets.US_ASCII), DurableFiles.OWNER_ONLY);
      return key;
    } catch (IOException | OperatorCreationException e) {
      throw new KeyStoreException("cannot create key file " + keyFile() + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pass, '\0');
    }
  }

  private DeviceKey open() {
    char[] pass = passphrase.passphrase();
    try {
      SecretFiles.exposure(keyFile())
          .ifPresent(
              why -> {
                throw new KeyStoreException(why);
              });
      PemObject pem;
      try (PemReader r =
          new PemReader(new StringReader(Files.readString(keyFile(), StandardCharsets.US_ASCII)))) {
        pem = r.readPemObject();
      }
      if (pem == null || !"ENCRYPTED PRIVATE KEY".equals(pem.getType())) {
        throw new KeyStoreException(keyFile() + " is not a PEM ENCRYPTED PRIVATE KEY");
      }
      PrivateKeyInfo info =
          new PKCS8EncryptedPrivateKeyInfo(pem.getContent())
              .decryptPrivateKeyInfo(
                  new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC).build(pass));
      SoftwareDeviceKey key = SoftwareDeviceKey.fromPrivateKeyInfo(info);
      PublicKey published =
          publicKey()
              .orElseThrow(
                  () ->
                      new KeyStoreException(
                          "public key " + publicFile() + " is missing beside " + keyFile()));
      Kid publishedKid = Kid.of(published);
      if (!publishedKid.equals(key.kid())) {
        throw new KeyStoreException(
            "public key "
                + publicFile()
                + " has kid "
                + publishedKid
                + " but the private key's kid is "
                + key.kid());
      }
      return key;
    } catch (PKCSException e) {
      throw new KeyStoreException(
          "cannot decrypt " + keyFile() + ": wrong passphrase or damaged file", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyStoreException("cannot read key file " + keyFile() + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(pass, '\0');
    }
  }

  private static String pem(PemObject obj) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(obj);
    }
    return sw.toString();
  }

  @Override
  public String toString() {
    return "FileKeyStore[" + keyFile() + "]";
  }
}
