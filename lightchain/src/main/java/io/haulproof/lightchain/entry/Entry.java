package io.haulproof.lightchain.entry;

import java.util.Objects;

/** One log entry before signing: the common header and a kind-specific body. */
public record Entry(EntryHeader header, EntryBody body) {
  public Entry {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
  }

  public EntryKind kind() {
    return body.kind();
  }
}
