package io.haulproof.authenticator.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.nio.charset.StandardCharsets;

/**
 * What an authenticator signs for its {@link PoahWire.Rejection rejections} and {@link
 * PoahWire.Need needs} (docs/chain.md, "Topics and messages"): a role label, a newline, then the
 * deterministic CBOR map of the fleet, the chain and every field of the message.
 *
 * <ul>
 *   <li>rejection: {@code haulproof/v1/poah/rejection\n} ‖ {@code {1: fleet, 2: chain, 3: height,
 *       4: block hash, 5: kid, 6: rule, 7: reason}};
 *   <li>need: {@code haulproof/v1/poah/need\n} ‖ {@code {1: fleet, 2: chain, 3: kid, 4: from
 *       height, 5: time (Unix ms)}}.
 * </ul>
 *
 * <p>Security guarantees: the node signs with the key of its authentications, so the truck believes
 * the message only under the key of a member of the set in force. The labels separate these from
 * every other thing that key signs ({@code haulproof/v1/poah/authentication\n} ‖ header bytes, and
 * COSE Sig_structures, which start with the CBOR byte {@code 0x84}); none is a prefix of another.
 * Binding fleet and chain means a need or rejection for one chain cannot be replayed on another;
 * binding every field means none can be changed; the label means a rejection cannot pass for a
 * need.
 */
public final class ReplySigning {
  static final Bytes REJECTION = label("haulproof/v1/poah/rejection\n");
  static final Bytes NEED = label("haulproof/v1/poah/need\n");

  private ReplySigning() {}

  /** The bytes a node signs for a rejection on {@code chain} of {@code fleet}. */
  public static Bytes rejectionMessage(
      String fleet,
      String chain,
      long height,
      Hash blockHash,
      Kid kid,
      String rule,
      String reason) {
    return REJECTION.concat(
        Cbor.encode(
            CborMap.builder()
                .put(1, fleet)
                .put(2, chain)
                .put(3, height)
                .put(4, blockHash.toBytes())
                .put(5, kid.value())
                .put(6, rule)
                .put(7, reason)
                .build()));
  }

  /** The bytes a node signs for a need on {@code chain} of {@code fleet}. */
  public static Bytes needMessage(
      String fleet, String chain, Kid kid, long fromHeight, long timeMillis) {
    return NEED.concat(
        Cbor.encode(
            CborMap.builder()
                .put(1, fleet)
                .put(2, chain)
                .put(3, kid.value())
                .put(4, fromHeight)
                .put(5, timeMillis)
                .build()));
  }

  /** A rejection by {@code key}'s node, signed. */
  public static PoahWire.Rejection rejection(
      DeviceKey key,
      String fleet,
      String chain,
      long height,
      Hash blockHash,
      String rule,
      String reason) {
    Bytes sig =
        key.sign(rejectionMessage(fleet, chain, height, blockHash, key.kid(), rule, reason));
    return new PoahWire.Rejection(height, blockHash, key.kid(), rule, reason, sig);
  }

  /** A need by {@code key}'s node, made at {@code timeMillis} of its clock, signed. */
  public static PoahWire.Need need(
      DeviceKey key, String fleet, String chain, long fromHeight, long timeMillis) {
    Bytes sig = key.sign(needMessage(fleet, chain, key.kid(), fromHeight, timeMillis));
    return new PoahWire.Need(key.kid(), fromHeight, timeMillis, sig);
  }

  /**
   * Checks that {@code r} was signed for {@code chain} of {@code fleet} by the key of {@code
   * verifier}, which must be the key it names.
   *
   * @throws VerificationException if not
   */
  public static void verify(
      SignatureVerifier verifier, String fleet, String chain, PoahWire.Rejection r) {
    requireKid(verifier, r.authenticator());
    verifier.verify(
        rejectionMessage(
            fleet, chain, r.height(), r.blockHash(), r.authenticator(), r.rule(), r.reason()),
        r.signature());
  }

  /** As above, for a need. */
  public static void verify(
      SignatureVerifier verifier, String fleet, String chain, PoahWire.Need n) {
    requireKid(verifier, n.authenticator());
    verifier.verify(
        needMessage(fleet, chain, n.authenticator(), n.fromHeight(), n.timeMillis()),
        n.signature());
  }

  private static void requireKid(SignatureVerifier verifier, Kid named) {
    if (!verifier.kid().equals(named)) {
      throw new VerificationException(
          "message names " + named + ", the key at hand is " + verifier.kid());
    }
  }

  private static Bytes label(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}
