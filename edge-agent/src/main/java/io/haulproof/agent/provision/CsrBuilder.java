package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.EcdsaSignatures;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds a PKCS#10 certification request (RFC 2986) signed inside the key store by a {@link
 * DeviceKey}.
 *
 * <p>The device key signs in COSE form (raw {@code r‖s} for ES256); PKCS#10 wants DER, so the
 * signature is converted.
 */
public final class CsrBuilder {
  private CsrBuilder() {}

  public static PKCS10CertificationRequest build(DeviceKey key, DeviceRef ref) {
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Haulproof")
            .addRDN(BCStyle.OU, ref.fleet())
            .addRDN(BCStyle.CN, ref.device())
            .build();
    return new JcaPKCS10CertificationRequestBuilder(subject, key.publicKey())
        .build(new KeySigner(key));
  }

  public static Bytes der(PKCS10CertificationRequest csr) {
    try {
      return Bytes.wrap(csr.getEncoded());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("encoding a built CSR failed", e);
    }
  }

  /** A Bouncy Castle content signer over a {@link DeviceKey}. */
  private static final class KeySigner implements ContentSigner {
    private final DeviceKey key;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    KeySigner(DeviceKey key) {
      this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return new DefaultSignatureAlgorithmIdentifierFinder()
          .find(key.algorithm() == CoseAlgorithm.ES256 ? "SHA256withECDSA" : "Ed25519");
    }

    @Override
    public OutputStream getOutputStream() {
      return buffer;
    }

    @Override
    public byte[] getSignature() {
      Bytes sig = key.sign(Bytes.wrap(buffer.toByteArray()));
      return key.algorithm() == CoseAlgorithm.ES256
          ? EcdsaSignatures.rawToDer(sig).toByteArray()
          : sig.toByteArray();
    }
  }
}
