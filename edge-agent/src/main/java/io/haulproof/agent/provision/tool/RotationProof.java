package io.haulproof.agent.provision.tool;

import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.FleetTrust;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.Kid;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Checks the proof a device sends with its rotation CSR: a COSE_Sign1 by its current, certified key
 * over {@code {1: device, 2: csr, 3: request version}}. Without it, anyone able to answer on {@code
 * mgmt/res} could have a certificate issued for their own key.
 */
final class RotationProof {
  private RotationProof() {}

  static void verify(FleetCa ca, DeviceRef ref, String oldKidHex, Bytes csr, Bytes proof)
      throws java.io.IOException {
    Kid oldKid = Kid.fromHex(oldKidHex);
    FleetTrust trust = FleetTrust.pinned(ca.root(), ca.currentCrl());
    X509Certificate current = null;
    for (X509Certificate c : ca.issued("device-" + ref.device() + "-")) {
      if (Kid.of(c.getPublicKey()).equals(oldKid)) {
        current = c;
      }
    }
    if (current == null) {
      throw new EnrollmentException(
          "no certificate issued by this CA for " + ref + " with kid " + oldKid);
    }
    trust.verifyDevice(current, ref, current.getPublicKey(), Instant.now());
    CoseSign1 cose = CoseSign1.decode(proof);
    cose.verify(current.getPublicKey());
    MapReader r = MapReader.of(Cbor.decode(cose.payload()), "rotation proof");
    String device = r.requireText(1);
    Bytes signedCsr = r.requireBytes(2);
    r.requireLong(3);
    r.end();
    if (!device.equals(ref.device()) || !signedCsr.equals(csr)) {
      throw new EnrollmentException(
          "rotation proof is for device " + device + " and another CSR, want " + ref.device());
    }
  }
}
