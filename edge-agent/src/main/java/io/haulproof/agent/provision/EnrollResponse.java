package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the technician publishes on {@code enroll/res} (DESIGN.md step 3).
 *
 * <p>CBOR map: {@code 1: nonce (echo of the request's), 2: certificate chain [bstr DER, leaf first,
 * root last], 3: initial configuration (optional; a signed management request, op "config"), 4: CRL
 * (optional, DER)}. Nothing in it is trusted for being here: the device checks the chain against
 * its pinned root, and the configuration goes through the same checks as any management request.
 */
public record EnrollResponse(
    Bytes nonce, List<Bytes> chain, Optional<Bytes> initialConfig, Optional<Bytes> crl) {
  public static final CborLimits LIMITS = new CborLimits(128 * 1024, 4);

  public EnrollResponse {
    chain = List.copyOf(chain);
    if (chain.isEmpty() || chain.size() > 4) {
      throw new IllegalArgumentException(
          "certificate chain of " + chain.size() + " certificates, want 1..4");
    }
  }

  public Bytes encode() {
    List<CborValue> certs = new ArrayList<>();
    chain.forEach(c -> certs.add(new CborBytes(c)));
    return Cbor.encode(
        CborMap.builder()
            .put(1, nonce)
            .put(2, new io.haulproof.lightchain.cbor.CborArray(certs))
            .opt(3, initialConfig)
            .opt(4, crl)
            .build());
  }

  public static EnrollResponse decode(Bytes wire) {
    MapReader r = MapReader.of(Cbor.decode(wire, LIMITS), "enroll response");
    Bytes nonce = r.requireBytes(1, 16);
    List<Bytes> chain =
        r.requireList(
            2,
            v -> {
              if (!(v instanceof CborBytes b)) {
                throw new io.haulproof.lightchain.cbor.CborException(
                    "enroll response: chain: want bytes, got " + v.typeName());
              }
              return b.value();
            });
    Optional<Bytes> config = r.optBytes(3);
    Optional<Bytes> crl = r.optBytes(4);
    r.end();
    try {
      return new EnrollResponse(nonce, chain, config, crl);
    } catch (IllegalArgumentException e) {
      throw new io.haulproof.lightchain.cbor.CborException("enroll response: " + e.getMessage(), e);
    }
  }
}
