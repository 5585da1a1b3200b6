package io.haulproof.uplink.coap;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * An X.509 identity for DTLS: our key and certificate chain (leaf first) and the certificates we
 * trust for the peer.
 *
 * <p>Security guarantees: {@code toString} never prints the private key.
 */
public record CertIdentity(
    PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {
  public CertIdentity {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    trusted = List.copyOf(trusted);
    if (chain.isEmpty() || trusted.isEmpty()) {
      throw new IllegalArgumentException(
          "DTLS identity needs a certificate chain and trust anchors");
    }
  }

  @Override
  public String toString() {
    return "CertIdentity(" + chain.get(0).getSubjectX500Principal() + ")";
  }
}
