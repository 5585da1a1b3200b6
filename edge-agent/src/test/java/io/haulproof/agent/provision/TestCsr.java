package io.haulproof.agent.provision;

import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds CSRs from in-memory key pairs for tests. */
final class TestCsr {
  private TestCsr() {}

  static PKCS10CertificationRequest of(KeyPair kp, String cn) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), kp.getPublic())
        .build(
            new JcaContentSignerBuilder(Certificates.signatureAlgorithm(kp.getPublic()))
                .setProvider(Certificates.BC)
                .build(kp.getPrivate()));
  }
}
