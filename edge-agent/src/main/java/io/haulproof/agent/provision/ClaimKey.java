package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The device's salted, stretched form of its claim code, used to authenticate the enrollment
 * request.
 *
 * <p>{@code key = PBKDF2-HMAC-SHA256(code, "haulproof-claim-v1:" ‖ device ‖ ":" ‖ salt, iterations,
 * 256 bits)}. The device stores {@code salt}, {@code iterations} and {@code key} (file mode 0600),
 * never the code. Its enrollment request carries {@code salt}, {@code iterations} and {@code
 * HMAC-SHA256(key, "haulproof-enroll-v1" ‖ signed request)}; the technician, who reads the code off
 * the label, derives the key and checks the MAC.
 *
 * <p>Security guarantees: a passive listener sees only the salt and a MAC, and must brute-force an
 * 80-bit code through PBKDF2 to forge a request or learn the code; the MAC covers the whole
 * COSE-signed request, so neither the public key nor the CSR can be swapped. Reading the device's
 * storage yields a per-device key, not the label code. {@link #toString()} reveals nothing; {@link
 * #equals} is not provided.
 */
public final class ClaimKey {
  /**
   * PBKDF2 iterations for new keys; requests may state between {@link #MIN_ITERATIONS} and {@link
   * #MAX_ITERATIONS}.
   */
  public static final int DEFAULT_ITERATIONS = 200_000;

  public static final int MIN_ITERATIONS = 50_000;
  public static final int MAX_ITERATIONS = 2_000_000;
  private static final byte[] MAC_CONTEXT =
      "haulproof-enroll-v1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Bytes salt;
  private final int iterations;
  private final byte[] key;

  private ClaimKey(Bytes salt, int iterations, byte[] key) {
    this.salt = salt;
    this.iterations = iterations;
    this.key = key;
  }

  /** Derives the key with a fresh random salt, at manufacturing or label printing time. */
  public static ClaimKey create(ClaimCode code, String device) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return derive(code, device, Bytes.wrap(salt), DEFAULT_ITERATIONS);
  }

  /** Derives the key from the label code and the salt and iteration count the device sent. */
  public static ClaimKey derive(ClaimCode code, String device, Bytes salt, int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new EnrollmentException(
          "claim iterations " + iterations + ", want " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
    }
    if (salt.length() < 16 || salt.length() > 64) {
      throw new EnrollmentException("claim salt of " + salt.length() + " bytes, want 16..64");
    }
    byte[] prefix =
        ("haulproof-claim-v1:" + DeviceRef.requireName("device", device) + ":")
            .getBytes(StandardCharsets.UTF_8);
    byte[] fullSalt = Bytes.wrap(prefix).concat(salt).toByteArray();
    PBEKeySpec spec = new PBEKeySpec(code.chars(), fullSalt, iterations, 256);
    try {
      byte[] k =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return new ClaimKey(salt, iterations, k);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  public Bytes salt() {
    return salt;
  }

  public int iterations() {
    return iterations;
  }

  /** The MAC over a signed enrollment request. */
  public Bytes mac(Bytes signedRequest) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(MAC_CONTEXT);
      mac.update(signedRequest.toByteArray());
      return Bytes.wrap(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /**
   * Checks a MAC in constant time.
   *
   * @throws EnrollmentException if it does not match (wrong claim code or altered request)
   */
  public void verify(Bytes signedRequest, Bytes claimedMac) {
    if (!MessageDigest.isEqual(mac(signedRequest).toByteArray(), claimedMac.toByteArray())) {
      throw new EnrollmentException(
          "claim MAC does not match: wrong claim code for this device, or altered request");
    }
  }

  /** Stores salt, iterations and key with mode 0600 (the device's claim file). */
  public void save(Path file) throws IOException {
    String text =
        "salt="
            + salt.toHex()
            + "\niterations="
            + iterations
            + "\nkey="
            + HexFormat.of().formatHex(key)
            + "\n";
    DurableFiles.write(file, text.getBytes(StandardCharsets.US_ASCII));
  }

  public static ClaimKey load(Path file) throws IOException {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      p.load(r);
    }
    String salt = p.getProperty("salt");
    String it = p.getProperty("iterations");
    String key = p.getProperty("key");
    if (salt == null || it == null || key == null) {
      throw new IOException("claim file " + file + " lacks salt, iterations or key");
    }
    byte[] k = HexFormat.of().parseHex(key.trim());
    if (k.length != 32) {
      throw new IOException("claim key in " + file + " has " + k.length + " bytes, want 32");
    }
    return new ClaimKey(Bytes.fromHex(salt), Integer.parseInt(it.trim()), k);
  }

  @Override
  public String toString() {
    return "ClaimKey(salt=" + salt.toHex() + ", iterations=" + iterations + ", key=****)";
  }
}
