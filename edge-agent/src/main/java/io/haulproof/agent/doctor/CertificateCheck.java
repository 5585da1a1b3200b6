package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The device certificate and the broker CA of the uplink's TLS settings: readable, and how long
 * until they expire (WARN inside 30 days, FAIL once expired or not yet valid).
 */
final class CertificateCheck implements DoctorCheck {
  static final Duration WARN_BEFORE = Duration.ofDays(30);

  private final Clock clock;

  CertificateCheck(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    List<Finding> out = new ArrayList<>();
    TlsConfig tls = config.uplink() == null ? null : config.uplink().tls();
    if (tls == null) {
      out.add(
          Finding.warn(
              "certificate", "no uplink TLS configured, so no device certificate to check"));
      return out;
    }
    if (tls.cert() == null) {
      out.add(
          Finding.warn(
              "certificate",
              "no device certificate configured (uplink.tls.cert): not enrolled yet?"));
    } else {
      out.add(check("certificate", Path.of(tls.cert())));
    }
    out.add(check("broker CA", Path.of(tls.ca())));
    return out;
  }

  private Finding check(String subject, Path file) {
    X509Certificate cert;
    try {
      List<X509Certificate> certs = io.haulproof.uplink.tls.Pem.readCertificates(file);
      if (certs.isEmpty()) {
        return Finding.fail(subject, "cannot read " + file + ": no certificate in it");
      }
      cert = certs.get(0);
    } catch (IOException e) {
      return Finding.fail(subject, "cannot read " + file + ": " + e.getMessage());
    }
    Instant now = clock.instant();
    Instant notAfter = cert.getNotAfter().toInstant();
    Instant notBefore = cert.getNotBefore().toInstant();
    String who = file + " (" + cert.getSubjectX500Principal().getName() + ")";
    if (now.isAfter(notAfter)) {
      return Finding.fail(subject, who + " expired on " + notAfter);
    }
    if (now.isBefore(notBefore)) {
      return Finding.fail(
          subject, who + " is valid only from " + notBefore + ": is the clock wrong?");
    }
    long days = Duration.between(now, notAfter).toDays();
    if (Duration.between(now, notAfter).compareTo(WARN_BEFORE) < 0) {
      return Finding.warn(
          subject, who + " expires in " + days + " days, on " + notAfter + ": renew it");
    }
    return Finding.ok(subject, who + " valid until " + notAfter + " (" + days + " days)");
  }
}
