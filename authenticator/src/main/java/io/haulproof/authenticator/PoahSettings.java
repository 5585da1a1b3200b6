package io.haulproof.authenticator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authenticator set and quorum in force, as signed configuration sets them: the management
 * {@code config} operation (signed by a provisioning key) with the keys {@code poah.quorum} (the
 * number of valid, distinct, trusted authenticator signatures a block needs) and {@code
 * poah.authenticator.<name>} (the base64 DER of that node's certificate for the authenticator
 * role), applied and logged by the truck as a {@code config} entry. The chain itself therefore
 * tells an auditor which set and quorum applied to each block ({@link ConfigHistory}).
 *
 * <p>Security guarantees: a member's kid is computed from the key in its certificate; a certificate
 * without the authenticator role is refused; with the fleet root at hand, so is one it did not
 * issue ({@link #requireIssuedBy}).
 */
public record PoahSettings(int quorum, Map<Kid, Member> members) {
  public static final String QUORUM = "poah.quorum";
  public static final String MEMBER_PREFIX = "poah.authenticator.";

  /** One authenticator: its name in the configuration, certificate and verifier. */
  public record Member(String name, X509Certificate certificate, SignatureVerifier verifier) {
    public Kid kid() {
      return verifier.kid();
    }
  }

  public PoahSettings {
    members = Map.copyOf(members);
    if (quorum < 1 || quorum > members.size()) {
      throw new IllegalArgumentException(
          "poah.quorum " + quorum + " not in 1.." + members.size() + " (authenticators listed)");
    }
  }

  /**
   * The PoAh settings of a configuration document (the canonical JSON of a {@code config} entry),
   * or empty when it sets no {@code poah.quorum} (single-node mode).
   *
   * @throws IllegalArgumentException if the PoAh keys are malformed
   */
  public static Optional<PoahSettings> fromConfig(Bytes canonicalJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(canonicalJson.toByteArray());
    } catch (IOException e) {
      throw new IllegalArgumentException("config is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.has(QUORUM)) {
      return Optional.empty();
    }
    int quorum;
    try {
      quorum = Integer.parseInt(root.get(QUORUM).asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(QUORUM + " is not a number", e);
    }
    Map<Kid, Member> members = new LinkedHashMap<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.startsWith(MEMBER_PREFIX)) {
        continue;
      }
      String name = k.substring(MEMBER_PREFIX.length());
      try {
        X509Certificate cert =
            Roles.parse(Bytes.wrap(Base64.getDecoder().decode(root.get(k).asText())));
        Roles.requireRole(cert, Roles.AUTHENTICATOR);
        Member m = new Member(name, cert, SignatureVerifier.of(cert.getPublicKey()));
        if (members.put(m.kid(), m) != null) {
          throw new IllegalArgumentException("authenticator key " + m.kid() + " listed twice");
        }
      } catch (CertificateException | IllegalArgumentException e) {
        throw new IllegalArgumentException(k + ": " + e.getMessage(), e);
      }
    }
    return Optional.of(new PoahSettings(quorum, members));
  }

  /** The configuration keys that set {@code quorum} and {@code certificates} (name → cert). */
  public static Map<String, String> toConfig(int quorum, Map<String, X509Certificate> certificates)
      throws CertificateException {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(QUORUM, Integer.toString(quorum));
    for (Map.Entry<String, X509Certificate> e : certificates.entrySet()) {
      out.put(
          MEMBER_PREFIX + e.getKey(),
          Base64.getEncoder().encodeToString(e.getValue().getEncoded()));
    }
    return out;
  }

  /**
   * Checks every member certificate against the fleet root.
   *
   * @throws CertificateException naming the first that fails
   */
  public void requireIssuedBy(X509Certificate fleetRoot) throws CertificateException {
    for (Member m : members.values()) {
      Roles.require(m.certificate(), fleetRoot, Roles.AUTHENTICATOR);
    }
  }
}
