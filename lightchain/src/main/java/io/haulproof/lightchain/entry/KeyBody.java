package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key lifecycle event: enrollment, rotation or revocation (DESIGN.md, "Provisioning and
 * management").
 *
 * @param action what happened
 * @param kid the kid of the key concerned; must be the kid of {@code publicKey}
 * @param publicKey the key's SubjectPublicKeyInfo DER
 * @param certChain the X.509 certificate chain (DER), leaf first; empty if none was issued yet
 * @param previousKid for a rotation, the kid of the key being replaced
 * @param reason a free-text reason, e.g. for a revocation
 */
public record KeyBody(
    KeyAction action,
    Kid kid,
    Bytes publicKey,
    List<Bytes> certChain,
    Optional<Kid> previousKid,
    Optional<String> reason)
    implements EntryBody {
  public KeyBody {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(publicKey, "publicKey");
    certChain = List.copyOf(certChain);
    Objects.requireNonNull(previousKid, "previousKid");
    Objects.requireNonNull(reason, "reason");
    Kid actual = Kid.ofSpki(publicKey);
    if (!actual.equals(kid)) {
      throw new IllegalArgumentException(
          "kid " + kid + " does not match the public key, whose kid is " + actual);
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.key;
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, action.code())
        .put(2, kid.value())
        .put(3, publicKey)
        .opt(
            4,
            certChain.isEmpty()
                ? Optional.empty()
                : Optional.of(
                    new CborArray(certChain.stream().<CborValue>map(CborBytes::new).toList())))
        .opt(5, previousKid.map(Kid::value))
        .opt(6, reason)
        .build();
  }

  static KeyBody read(MapReader r) {
    return new KeyBody(
        KeyAction.fromCode(r.requireLong(1)),
        new Kid(r.requireBytes(2, Kid.SIZE)),
        r.requireBytes(3),
        certChain(r),
        r.optBytes(5)
            .map(
                b -> {
                  if (b.length() != Kid.SIZE) {
                    throw new CborException(
                        "key body: previous kid of " + b.length() + " bytes, want " + Kid.SIZE);
                  }
                  return new Kid(b);
                }),
        r.optText(6));
  }

  /**
   * An absent chain is omitted on the wire, so an empty array would be a second encoding of it:
   * rejected.
   */
  private static List<Bytes> certChain(MapReader r) {
    List<Bytes> chain = r.optList(4, KeyBody::certificate);
    if (chain.isEmpty() && r.optValue(4).isPresent()) {
      throw new CborException(
          "key body: empty certificate chain must be omitted, not encoded as []");
    }
    return chain;
  }

  private static Bytes certificate(CborValue v) {
    if (v instanceof CborBytes b && !b.value().isEmpty()) {
      return b.value();
    }
    throw new CborException(
        "key body: certificate chain item: want non-empty bytes, got " + v.typeName());
  }
}
