package io.haulproof.agent.fuzz;

import io.haulproof.agent.mgmt.MgmtFixture;
import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.EnrollEnvelope;
import io.haulproof.agent.provision.EnrollRequest;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.EnrollmentDesk;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.fuzz.FuzzFiles;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for enrollment: the technician's desk checking a device's enroll request, and the
 * device accepting the desk's response. Each is fed as received; the decoders inside are also
 * called directly, because the desk turns any runtime exception into a refusal (defence in depth)
 * and would hide a parser bug from the fuzzer.
 */
final class EnrollmentTargets {
  private static final String DEVICE = "truck-7";
  private static Parties parties;

  private EnrollmentTargets() {}

  private record Parties(MgmtFixture f, ClaimCode code, Enroller enroller, EnrollmentDesk desk) {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("EnrollRequest", EnrollmentTargets::request, EnrollmentTargets::requests),
        new FuzzTarget(
            "EnrollResponse", EnrollmentTargets::response, EnrollmentTargets::responses));
  }

  private static synchronized Parties parties() {
    if (parties == null) {
      try {
        MgmtFixture f = new MgmtFixture(FuzzFiles.tempDir("hp-fuzz-enroll"), false);
        ClaimCode code = ClaimCode.generate();
        Enroller enroller =
            new Enroller(f.identity, ClaimKey.create(code, DEVICE), "1.2.3", f.clock);
        parties = new Parties(f, code, enroller, new EnrollmentDesk(f.ca, f.clock));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return parties;
  }

  /** Only refusals escape the desk; the envelope and request decoders round-trip what they take. */
  static void request(byte[] data) {
    Parties p = parties();
    Bytes wire = Bytes.wrap(data);
    try {
      EnrollEnvelope env = EnrollEnvelope.decode(wire);
      if (!env.encode().equals(wire)) {
        throw new AssertionError("envelope does not re-encode to itself: " + wire);
      }
      CoseSign1 cose = CoseSign1.decode(env.signed(), EnrollRequest.LIMITS);
      EnrollRequest req = EnrollRequest.decode(cose.payload());
      if (!req.encode().equals(cose.payload())) {
        throw new AssertionError("request does not re-encode to itself: " + cose.payload());
      }
    } catch (CborException e) {
      // refused below as well
    }
    try {
      p.desk().check(wire, DEVICE, p.code());
    } catch (EnrollmentException | TrustException e) {
      // a refusal
    }
  }

  /** The device side: only refusals escape, and nothing is installed from a bad response. */
  static void response(byte[] data) throws IOException {
    Parties p = parties();
    Bytes wire = Bytes.wrap(data);
    try {
      EnrollResponse r = EnrollResponse.decode(wire);
      if (!r.encode().equals(wire)) {
        throw new AssertionError("response does not re-encode to itself: " + wire);
      }
    } catch (CborException e) {
      // refused below as well
    }
    try {
      p.enroller().accept(wire);
    } catch (EnrollmentException | TrustException e) {
      // a refusal
    }
    if (p.f().identity.enrolled()) {
      throw new AssertionError("a fuzzed response enrolled the device");
    }
  }

  private static List<byte[]> requests() {
    return List.of(parties().enroller().request().toByteArray());
  }

  private static List<byte[]> responses() throws IOException {
    Parties p = parties();
    EnrollmentDesk.Checked checked = p.desk().check(p.enroller().request(), DEVICE, p.code());
    return List.of(p.desk().issue(checked, Optional.empty()).encode().toByteArray());
  }
}
