package io.haulproof.agent.provision;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.KeyStoreException;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.lightchain.crypto.Pkcs11KeyStore;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link DeviceKeyStore} over lightchain's one-key stores: each alias is its own {@link
 * FileKeyStore} directory ({@code KEYS/<alias>/device.p8}, encrypted PKCS#8, 0600) or its own
 * object on a PKCS#11 token ({@link Pkcs11KeyStore}, public PEM in {@code KEYS/<alias>.pub.pem}).
 *
 * <p>Security guarantees: keys are generated inside the store and never leave it; {@link #create}
 * refuses an alias that already holds a key, so a key is never silently replaced; {@link #delete}
 * destroys the key (file removal, or the token entry).
 */
public final class LightchainKeyStores implements DeviceKeyStore {
  /** Opens the lightchain store of one alias. */
  @FunctionalInterface
  public interface Factory {
    io.haulproof.lightchain.crypto.DeviceKeyStore open(String alias);
  }

  /** Destroys the key of one alias. */
  @FunctionalInterface
  public interface Destroyer {
    void destroy(String alias) throws IOException;
  }

  private final Factory factory;
  private final Destroyer destroyer;

  public LightchainKeyStores(Factory factory, Destroyer destroyer) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.destroyer = Objects.requireNonNull(destroyer, "destroyer");
  }

  /** Encrypted PKCS#8 files under {@code keysRoot}, one directory per alias. */
  public static LightchainKeyStores files(
      Path keysRoot, PassphraseSource passphrase, CoseAlgorithm algorithm) {
    return new LightchainKeyStores(
        alias -> new FileKeyStore(keysRoot.resolve(alias), passphrase, algorithm),
        alias -> {
          Path dir = keysRoot.resolve(alias);
          Files.deleteIfExists(dir.resolve(FileKeyStore.KEY_FILE));
          Files.deleteIfExists(dir.resolve(FileKeyStore.PUBLIC_FILE));
          DurableFiles.syncDirectory(dir);
        });
  }

  /**
   * Keys on the PKCS#11 token in slot list position {@code slot} of {@code library}; public PEMs
   * under {@code keysRoot}.
   */
  public static LightchainKeyStores pkcs11(
      Path library, int slot, PassphraseSource pin, Path keysRoot) {
    return new LightchainKeyStores(
        alias ->
            new Pkcs11KeyStore(library, slot, pin, alias, keysRoot.resolve(alias + ".pub.pem")),
        alias -> {
          deleteTokenEntry(library, slot, pin, alias);
          Files.deleteIfExists(keysRoot.resolve(alias + ".pub.pem"));
          if (Files.isDirectory(keysRoot)) {
            DurableFiles.syncDirectory(keysRoot);
          }
        });
  }

  @Override
  public DeviceKey create(String alias) throws IOException {
    io.haulproof.lightchain.crypto.DeviceKeyStore store = factory.open(alias);
    try {
      if (store.publicKey().isPresent()) {
        throw new IOException(
            "key alias " + alias + " already holds a key; refusing to replace it");
      }
      return store.openOrCreate();
    } catch (KeyStoreException e) {
      throw new IOException("creating key " + alias + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<DeviceKey> load(String alias) throws IOException {
    io.haulproof.lightchain.crypto.DeviceKeyStore store = factory.open(alias);
    try {
      return store.publicKey().isPresent() ? Optional.of(store.openOrCreate()) : Optional.empty();
    } catch (KeyStoreException e) {
      throw new IOException("opening key " + alias + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String alias) throws IOException {
    destroyer.destroy(alias);
  }

  private static void deleteTokenEntry(Path library, int slot, PassphraseSource pin, String alias)
      throws IOException {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new IOException("the JDK has no SunPKCS11 provider");
    }
    Provider p =
        base.configure(
            "--name=haulproof-admin\nlibrary=" + library + "\nslotListIndex=" + slot + "\n");
    char[] secret = pin.passphrase();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, secret);
      if (ks.containsAlias(alias)) {
        ks.deleteEntry(alias);
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("deleting token key " + alias + " failed: " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(secret, '\0');
    }
  }
}
