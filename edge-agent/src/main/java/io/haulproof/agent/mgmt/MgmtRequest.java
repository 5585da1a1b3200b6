package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The payload of a management request, carried inside a COSE_Sign1 signed by a provisioning key
 * (docs/provisioning.md).
 *
 * <p>CBOR map: {@code 1: op (text), 2: fleet (text), 3: device (text), 4: version (uint), 5: issued
 * (uint, epoch seconds), 6: expires (uint, epoch seconds), 7: signer certificate (bstr, DER), 8:
 * params (map text → text / bstr / int)}. Unknown keys are rejected. The signer certificate is only
 * a hint until the signature verifies against it and it chains to the pinned root; the author is
 * derived from the signature, never from a field.
 */
public record MgmtRequest(
    String op,
    DeviceRef target,
    long version,
    Instant issued,
    Instant expires,
    Bytes signerCert,
    Map<String, CborValue> params) {
  /** The largest encoded request (COSE_Sign1 bytes) the agent decodes. */
  public static final int MAX_ENCODED = 64 * 1024;

  /** Limits for decoding a request: size and nesting depth. */
  public static final CborLimits LIMITS = new CborLimits(MAX_ENCODED, 8);

  private static final int MAX_PARAMS = 128;

  public MgmtRequest {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(issued, "issued");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(signerCert, "signerCert");
    if (version < 0) {
      throw new IllegalArgumentException("negative version " + version);
    }
    if (params.size() > MAX_PARAMS) {
      throw new IllegalArgumentException(
          "too many params " + params.size() + ", want at most " + MAX_PARAMS);
    }
    for (Map.Entry<String, CborValue> e : params.entrySet()) {
      CborValue v = e.getValue();
      if (!(v instanceof CborText || v instanceof CborBytes || v instanceof CborInt)) {
        throw new IllegalArgumentException(
            "param " + e.getKey() + ": want text, bytes or int, got " + v.typeName());
      }
    }
    params = Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** The same request with another op (for tests building variants). */
  public MgmtRequest withOp(String otherOp) {
    return new MgmtRequest(otherOp, target, version, issued, expires, signerCert, params);
  }

  public CborMap toCbor() {
    Map<CborValue, CborValue> p = new LinkedHashMap<>();
    params.forEach((k, v) -> p.put(new CborText(k), v));
    return CborMap.builder()
        .put(1, op)
        .put(2, target.fleet())
        .put(3, target.device())
        .put(4, version)
        .put(5, issued.getEpochSecond())
        .put(6, expires.getEpochSecond())
        .put(7, signerCert)
        .put(8, new CborMap(p))
        .build();
  }

  public Bytes encode() {
    return Cbor.encode(toCbor());
  }

  /**
   * Decodes a payload strictly.
   *
   * @throws CborException if it is malformed, has unknown keys, or a field is out of range
   */
  public static MgmtRequest decode(Bytes payload) {
    MapReader r = MapReader.of(Cbor.decode(payload, LIMITS), "mgmt request");
    String op = r.requireText(1);
    String fleet = r.requireText(2);
    String device = r.requireText(3);
    long version = r.requireLong(4, 0, Long.MAX_VALUE);
    long issued = r.requireLong(5, 0, 253402300799L);
    long expires = r.requireLong(6, 0, 253402300799L);
    Bytes cert = r.requireBytes(7);
    CborValue rawParams = r.requireValue(8);
    r.end();
    if (!(rawParams instanceof CborMap pm)) {
      throw new CborException("mgmt request: key 8: want map, got " + rawParams.typeName());
    }
    Map<String, CborValue> params = new TreeMap<>();
    for (Map.Entry<CborValue, CborValue> e : pm.entries().entrySet()) {
      if (!(e.getKey() instanceof CborText k)) {
        throw new CborException(
            "mgmt request: params: want text keys, got " + e.getKey().typeName());
      }
      params.put(k.value(), e.getValue());
    }
    try {
      return new MgmtRequest(
          op,
          new DeviceRef(fleet, device),
          version,
          Instant.ofEpochSecond(issued),
          Instant.ofEpochSecond(expires),
          cert,
          params);
    } catch (IllegalArgumentException e) {
      throw new CborException("mgmt request: " + e.getMessage(), e);
    }
  }

  public Optional<String> text(String key) {
    CborValue v = params.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof CborText t) {
      return Optional.of(t.value());
    }
    throw new MgmtException(
        RejectReason.BAD_PARAMS, "param " + key + ": want text, got " + v.typeName());
  }

  public Optional<Bytes> bytes(String key) {
    CborValue v = params.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof CborBytes b) {
      return Optional.of(b.value());
    }
    throw new MgmtException(
        RejectReason.BAD_PARAMS, "param " + key + ": want bytes, got " + v.typeName());
  }
}
