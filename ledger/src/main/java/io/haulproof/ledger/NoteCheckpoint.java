package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Hash;
import java.util.Objects;

/**
 * A verified checkpoint: its origin, tree size and root, the checkpoint text (the signed body) and
 * the whole signed note.
 */
public record NoteCheckpoint(String origin, long size, Hash root, String text, String wire) {
  public NoteCheckpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(wire, "wire");
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + ", want >= 0");
    }
  }
}
