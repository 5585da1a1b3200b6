package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the witness publishes on a device's {@code receipts} topic (and answers to a CoAP checkpoint
 * POST): a COSE_Sign1 (ES256 or EdDSA, kid of the witness key) over the CBOR map {@code {"answers":
 * SHA-256 of the checkpoints payload it answers, "receipt": the ReceiptMessage CBOR}}.
 *
 * <p>Security guarantees: {@link #open} returns only a receipt signed by the pinned witness key, so
 * an unsigned or forged answer (a false {@code entries_stored}, a false conflict) is refused; the
 * {@code answers} hash binds it to one checkpoint message, so the device can refuse an old signed
 * receipt replayed against a newer checkpoint.
 */
public final class SignedReceipt {
  private static final Set<String> KEYS = Set.of("answers", "receipt");

  /** A receipt whose signature verified, and the hash of the checkpoints payload it answers. */
  public record Opened(Hash answers, ReceiptMessage receipt) {
    public Opened {
      Objects.requireNonNull(answers, "answers");
      Objects.requireNonNull(receipt, "receipt");
    }
  }

  private SignedReceipt() {}

  /** The hash a receipt carries for the checkpoints payload {@code checkpointMessage}. */
  public static Hash answers(Bytes checkpointMessage) {
    return Hash.sha256(checkpointMessage);
  }

  /** Signs {@code receipt} as the answer to {@code checkpointMessage} with the witness key. */
  public static Bytes seal(DeviceKey witness, Bytes checkpointMessage, ReceiptMessage receipt) {
    Bytes body =
        new CborText2.Writer()
            .put("answers", answers(checkpointMessage).toBytes())
            .put("receipt", receipt.encode())
            .encode();
    return CoseSign1.sign(witness, body).encoded();
  }

  /**
   * Verifies and decodes a signed receipt.
   *
   * @throws WireFormatException if it is not a COSE_Sign1 over the expected map
   * @param witness the pinned witness key's verifier, kept for all receipts (a fresh one per
   *     receipt redoes the key's precomputation and costs about four verifications)
   * @throws VerificationException if it is not signed by {@code witness}
   */
  public static Opened open(SignatureVerifier witness, Bytes envelope) {
    CoseSign1 cose = decode(envelope);
    cose.verify(witness);
    return body(cose);
  }

  /**
   * Decodes a receipt WITHOUT checking who signed it. Only for tools that count a witness's answers
   * and act on nothing (the fleet benchmark run without {@code --witness-key}); a device acts only
   * on {@link #open}.
   *
   * @throws WireFormatException if it is not a COSE_Sign1 over the expected map
   */
  public static Opened readUnverified(Bytes envelope) {
    return body(decode(envelope));
  }

  private static CoseSign1 decode(Bytes envelope) {
    try {
      return CoseSign1.decode(envelope, CborText2.LIMITS);
    } catch (CborException | IllegalArgumentException e) {
      throw new WireFormatException("receipt is not a signed COSE_Sign1: " + e.getMessage(), e);
    }
  }

  private static Opened body(CoseSign1 cose) {
    String what = "signed receipt";
    Map<String, CborValue> m = CborText2.read(cose.payload(), what, KEYS);
    Bytes answers = CborText2.bytes(m, "answers", what);
    if (answers.length() != Hash.SIZE) {
      throw new WireFormatException(what + ": answers " + answers.length() + " bytes, want 32");
    }
    return new Opened(
        Hash.of(answers.toByteArray()), ReceiptMessage.decode(CborText2.bytes(m, "receipt", what)));
  }
}
