package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;

/**
 * What the device publishes on {@code enroll/req}: CBOR map {@code 1: signed (COSE_Sign1 bytes of
 * an EnrollRequest, signed by the new key), 2: claim MAC (HMAC-SHA256 with the claim key over the
 * signed bytes, see ClaimKey)}.
 */
public record EnrollEnvelope(Bytes signed, Bytes claimMac) {
  public Bytes encode() {
    return Cbor.encode(CborMap.builder().put(1, signed).put(2, claimMac).build());
  }

  public static EnrollEnvelope decode(Bytes wire) {
    MapReader r = MapReader.of(Cbor.decode(wire, EnrollRequest.LIMITS), "enroll envelope");
    EnrollEnvelope e = new EnrollEnvelope(r.requireBytes(1), r.requireBytes(2, 32));
    r.end();
    return e;
  }
}
