package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.cbor.CborMap;

/** The kind-specific part of an entry; each kind's CBOR keys are listed in docs/formats.md. */
public sealed interface EntryBody
    permits CollectionBody, ReadingBody, ConfigBody, KeyBody, LossBody, ReceiptBody {
  EntryKind kind();

  /** The body as the CBOR map stored under payload key 9. */
  CborMap toCbor();
}
