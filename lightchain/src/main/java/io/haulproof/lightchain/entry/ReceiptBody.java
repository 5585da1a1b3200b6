package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import io.haulproof.lightchain.crypto.Kid;
import java.util.Objects;

/**
 * A witness cosignature on one of our checkpoints, logged as received.
 *
 * @param witnessId the witness's name (its note signer name)
 * @param witnessKid the kid of the witness key
 * @param treeSize the checkpoint's tree size
 * @param root the checkpoint's root hash
 * @param cosignature the cosignature bytes as received
 * @param timestampSeconds the witness's timestamp, seconds since the Unix epoch
 */
public record ReceiptBody(
    String witnessId,
    Kid witnessKid,
    long treeSize,
    Hash root,
    Bytes cosignature,
    long timestampSeconds)
    implements EntryBody {
  public ReceiptBody {
    Objects.requireNonNull(witnessId, "witnessId");
    Objects.requireNonNull(witnessKid, "witnessKid");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(cosignature, "cosignature");
    if (witnessId.isEmpty() || treeSize < 0 || timestampSeconds < 0 || cosignature.isEmpty()) {
      throw new IllegalArgumentException(
          "receipt from \""
              + witnessId
              + "\" at size "
              + treeSize
              + ", time "
              + timestampSeconds
              + ", cosignature "
              + cosignature.length()
              + " bytes: invalid");
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.receipt;
  }

  @Override
  public CborMap toCbor() {
    return CborMap.builder()
        .put(1, witnessId)
        .put(2, witnessKid.value())
        .put(3, treeSize)
        .put(4, root.toBytes())
        .put(5, cosignature)
        .put(6, timestampSeconds)
        .build();
  }

  static ReceiptBody read(MapReader r) {
    return new ReceiptBody(
        r.requireText(1),
        new Kid(r.requireBytes(2, Kid.SIZE)),
        r.requireLong(3, 0, Long.MAX_VALUE),
        Hash.of(r.requireBytes(4, Hash.SIZE).toByteArray()),
        r.requireBytes(5),
        r.requireLong(6, 0, Long.MAX_VALUE));
  }
}
