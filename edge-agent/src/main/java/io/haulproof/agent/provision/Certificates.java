package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Small helpers around X.509 values: conversion, parsing from DER and key generation for CA-side
 * keys.
 */
public final class Certificates {
  /** One Bouncy Castle provider instance, passed explicitly (never installed globally). */
  public static final BouncyCastleProvider BC = new BouncyCastleProvider();

  /**
   * The "no well-defined expiration date" value of RFC 5280 §4.1.2.5 (GeneralizedTime
   * 99991231235959Z).
   *
   * <p>Haulproof certificates never expire: a truck parked offline for weeks must still be able to
   * prove who it is and accept management requests. Trust is withdrawn by revocation (a signed CRL
   * pushed to the device) instead.
   */
  public static final Date NO_EXPIRY = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  public static X509Certificate toX509(X509CertificateHolder holder) throws CertificateException {
    return new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
  }

  /** Parses one DER certificate; trailing bytes are rejected by the JDK parser. */
  public static X509Certificate fromDer(Bytes der) throws CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der.toByteArray()));
  }

  public static X509CRL crlFromDer(Bytes der) throws CRLException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      return (X509CRL) cf.generateCRL(new ByteArrayInputStream(der.toByteArray()));
    } catch (CertificateException e) {
      throw new CRLException("no X.509 certificate factory", e);
    }
  }

  public static Bytes der(X509Certificate cert) {
    try {
      return Bytes.wrap(cert.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException("encoding a parsed certificate failed", e);
    }
  }

  public static Bytes der(X509CRL crl) {
    try {
      return Bytes.wrap(crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalStateException("encoding a parsed CRL failed", e);
    }
  }

  /**
   * A fresh P-256 key pair for CA and operator keys (kept in files on the technician's machine).
   */
  public static KeyPair newP256KeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is unavailable", e);
    }
  }

  /** The signature algorithm name to sign certificates with a key of this type. */
  public static String signatureAlgorithm(PublicKey key) {
    String alg = key.getAlgorithm();
    if (alg.equals("EC") || alg.equals("ECDSA")) {
      return "SHA256withECDSA";
    }
    if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
      return "Ed25519";
    }
    throw new IllegalArgumentException(
        "unsupported key algorithm " + alg + ", want EC P-256 or Ed25519");
  }

  /** A random positive 127-bit serial number (RFC 5280 §4.1.2.2 allows up to 20 octets). */
  public static java.math.BigInteger randomSerial() {
    return new java.math.BigInteger(127, RANDOM).setBit(126);
  }

  /** A fingerprint for diagnostics: SHA-256 over the DER, hex. */
  public static String fingerprint(X509Certificate cert) {
    return io.haulproof.lightchain.bytes.Hash.sha256(der(cert)).toHex();
  }
}
