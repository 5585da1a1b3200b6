package io.haulproof.ledger.testing;

import io.haulproof.ledger.audit.AuditReport;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.BundleVerifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * What {@code haulproof audit verify} does with a bundle, in its own JVM so that its heap can be
 * capped and measured: args {@code BUNDLE FLEET_ROOT_PEM WITNESS_SPKI_BASE64}. Prints {@code
 * {"valid":…,"entries":…,"peak_heap_mib":…}} (peak over the heap pools).
 */
public final class BundleVerifyMain {
  private BundleVerifyMain() {}

  public static void main(String[] args) throws Exception {
    X509Certificate root;
    try (var in = Files.newInputStream(Path.of(args[1]))) {
      root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PublicKey witness =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(args[2])));
    var bundle = BundleCodec.decode(Files.readAllBytes(Path.of(args[0])));
    AuditReport r = new BundleVerifier(root, witness).verify(bundle);
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.out.println(
        "{\"valid\":"
            + r.valid()
            + ",\"entries\":"
            + bundle.entryCount()
            + ",\"peak_heap_mib\":"
            + (peak >> 20)
            + "}");
  }
}
