package io.haulproof.lightchain.testing;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.entry.TimeSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Signed entries for chain tests, built directly with the entry codec (no log). */
public final class TestEntries {
  private TestEntries() {}

  public static EntryBody config(long version) {
    return new ConfigBody(
        version,
        "test",
        Bytes.wrap(("v" + version).getBytes(StandardCharsets.UTF_8)),
        Optional.empty(),
        Optional.empty());
  }

  public static EntryHeader header(String device, long epoch, long seq) {
    return new EntryHeader(
        device, epoch, seq, 1_700_000_000_000L + seq, TimeSource.RTC, 1000, seq * 10);
  }

  /** Entry with the given header fields and a config body, signed by {@code key}. */
  public static Bytes signed(DeviceKey key, String device, long epoch, long seq) {
    return EntryCodec.sign(key, new Entry(header(device, epoch, seq), config(seq))).encoded();
  }

  public static Bytes signed(DeviceKey key, String device, long epoch, long seq, EntryBody body) {
    return EntryCodec.sign(key, new Entry(header(device, epoch, seq), body)).encoded();
  }

  /** A key entry announcing {@code newKey} (rotation) or revoking it. */
  public static KeyBody keyBody(KeyAction action, DeviceKey subject, Optional<Kid> previous) {
    return new KeyBody(
        action,
        subject.kid(),
        PublicKeys.spki(subject.publicKey()),
        List.of(),
        previous,
        Optional.empty());
  }

  /** Decodes for inspection. */
  public static CoseSign1 cose(Bytes b) {
    return CoseSign1.decode(b);
  }
}
