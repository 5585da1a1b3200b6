package io.haulproof.uplink.http;

import io.haulproof.lightchain.files.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A bearer token read from a file, for the local HTTP servers: the crew's ({@code
 * http.crewTokenFile} of the agent) and the auditors' ({@code haulproof ledger
 * --audit-token-file}).
 *
 * <p>Security guarantees: the file must be readable by its owner only (0600 or 0400), the token is
 * at least {@value #MIN_LENGTH} characters, a request's token is compared in constant time (SHA-256
 * digests of equal length through {@link MessageDigest#isEqual}), and the token never appears in a
 * message: {@link #toString()} hides it.
 */
public final class BearerToken {
  /** The shortest token accepted. */
  public static final int MIN_LENGTH = 16;

  private final byte[] digest;

  private BearerToken(String token) {
    this.digest = sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The token in {@code file} (trimmed); refuses a file others may read or a short token.
   *
   * @param setting the setting that named the file, for messages (e.g. {@code --audit-token-file})
   */
  public static BearerToken read(Path file, String setting) throws IOException {
    Optional<String> exposure = SecretFiles.exposure(file);
    if (exposure.isPresent()) {
      throw new IOException(setting + " " + exposure.get());
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (token.length() < MIN_LENGTH) {
      throw new IOException(
          setting
              + " "
              + file
              + ": token of "
              + token.length()
              + " characters, want >= "
              + MIN_LENGTH);
    }
    return new BearerToken(token);
  }

  /** Whether an {@code Authorization} header (null if absent) carries this token. */
  public boolean admits(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(sha256(given), digest);
  }

  @Override
  public String toString() {
    return "BearerToken[hidden]";
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
