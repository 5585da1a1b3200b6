package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.files.SecretFiles;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies the passphrase that encrypts the device key file, as a fresh {@code char[]} the caller
 * wipes.
 *
 * <p>Resolution order ({@link #resolve}): the systemd credential {@code
 * $CREDENTIALS_DIRECTORY/haulproof-key-pass}, the environment variable {@code
 * HAULPROOF_KEY_PASSPHRASE}, then a {@code passphrase} file (mode 0600) beside the key. For the
 * demo and benchmarks only, {@link #resolveOrCreate} creates that file with a random passphrase
 * when nothing else is configured.
 *
 * <p>Security guarantees: passphrase files must be mode 0600; a trailing newline in a file is not
 * part of the passphrase; nothing here logs or prints a passphrase.
 */
@FunctionalInterface
public interface PassphraseSource {
  /** The systemd credential name under {@code $CREDENTIALS_DIRECTORY}. */
  String CREDENTIAL_NAME = "haulproof-key-pass";

  /** The environment variable holding the passphrase. */
  String ENV_VAR = "HAULPROOF_KEY_PASSPHRASE";

  /** The file name beside the key (demo only). */
  String FILE_NAME = "passphrase";

  /**
   * A fresh copy of the passphrase; the caller overwrites it after use.
   *
   * @throws KeyStoreException if it cannot be read
   */
  char[] passphrase();

  /** A fixed passphrase, for tests. */
  static PassphraseSource of(char[] passphrase) {
    char[] copy = passphrase.clone();
    return copy::clone;
  }

  /**
   * The secret in file {@code f}, which must be mode 0600 (a trailing newline is not part of it).
   */
  static PassphraseSource file(Path f) {
    return () -> readFile(f, true);
  }

  /** The systemd credential {@code name} under {@code $CREDENTIALS_DIRECTORY}, if present. */
  static Optional<PassphraseSource> credential(String name, Map<String, String> env) {
    String creds = env.get("CREDENTIALS_DIRECTORY");
    if (creds != null && Files.isRegularFile(Path.of(creds, name))) {
      Path f = Path.of(creds, name);
      return Optional.of(() -> readFile(f, false));
    }
    return Optional.empty();
  }

  /** The environment variable {@link #ENV_VAR}, if set and not empty. */
  static Optional<PassphraseSource> environment(Map<String, String> env) {
    String value = env.get(ENV_VAR);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value::toCharArray);
  }

  /**
   * The first configured source in the resolution order, if any.
   *
   * @param keysDir the directory holding the key file
   * @param env the process environment, e.g. {@link System#getenv()}
   */
  static Optional<PassphraseSource> resolve(Path keysDir, Map<String, String> env) {
    Optional<PassphraseSource> configured =
        credential(CREDENTIAL_NAME, env).or(() -> environment(env));
    if (configured.isPresent()) {
      return configured;
    }
    Path f = keysDir.resolve(FILE_NAME);
    if (Files.isRegularFile(f)) {
      return Optional.of(() -> readFile(f, true));
    }
    return Optional.empty();
  }

  /**
   * {@link #resolve}, or, when nothing is configured, a new {@code passphrase} file (0600) with 32
   * random bytes in base64, said so on stderr. For the demo and benchmarks only; {@code haulproof
   * run} never calls this (it requires a credential, the environment variable or a configured
   * file).
   */
  static PassphraseSource resolveOrCreate(Path keysDir, Map<String, String> env) {
    Optional<PassphraseSource> existing = resolve(keysDir, env);
    if (existing.isPresent()) {
      return existing.get();
    }
    Path f = keysDir.resolve(FILE_NAME);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    byte[] text =
        (Base64.getEncoder().withoutPadding().encodeToString(random) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    try {
      DurableFiles.createPrivateDirectories(keysDir);
      DurableFiles.write(f, text, DurableFiles.OWNER_ONLY);
      System.err.println(
          "haulproof: generated a random key passphrase in clear at "
              + f
              + " (demo and benchmarks only; haulproof run requires a credential)");
    } catch (IOException e) {
      throw new KeyStoreException("cannot create passphrase file " + f + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(random, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
    return () -> readFile(f, true);
  }

  private static char[] readFile(Path f, boolean requireOwnerOnly) {
    byte[] raw = null;
    try {
      if (requireOwnerOnly) {
        SecretFiles.exposure(f)
            .ifPresent(
                why -> {
                  throw new KeyStoreException(why);
                });
      }
      raw = Files.readAllBytes(f);
      int n = raw.length;
      while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) {
        n--;
      }
      if (n == 0) {
        throw new KeyStoreException("passphrase file " + f + " is empty");
      }
      CharBuffer cb = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw, 0, n));
      char[] out = Arrays.copyOfRange(cb.array(), cb.position(), cb.limit());
      Arrays.fill(cb.array(), '\0');
      return out;
    } catch (IOException e) {
      throw new KeyStoreException("cannot read passphrase file " + f + ": " + e.getMessage(), e);
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }
}
