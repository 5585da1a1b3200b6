package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.MapReader;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the ledger learns devices from: the technician's {@code enroll/res}
 * (docs/provisioning.md: CBOR {@code {1: nonce, 2: [device cert DER, root cert DER], 3: config?, 4:
 * CRL DER?}}).
 */
final class Enrollments {
  private static final CborLimits LIMITS = new CborLimits(128 * 1024, 4);

  private Enrollments() {}

  /** The certificate chain and the optional CRL of an enrollment response. */
  record Response(List<X509Certificate> chain, Optional<Bytes> crl) {}

  static Response decode(Bytes wire) throws GeneralSecurityException {
    try {
      MapReader r = MapReader.of(Cbor.decode(wire, LIMITS), "enroll response");
      r.requireBytes(1, 16);
      List<Bytes> ders =
          r.requireList(
              2,
              v -> {
                if (!(v instanceof CborBytes b)) {
                  throw new CborException("enroll response: chain: want bytes");
                }
                return b.value();
              });
      r.optBytes(3);
      Optional<Bytes> crl = r.optBytes(4);
      r.end();
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (Bytes der : ders) {
        chain.add(
            (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der.toByteArray())));
      }
      return new Response(chain, crl);
    } catch (CborException | IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed enroll response: " + e.getMessage(), e);
    }
  }
}
