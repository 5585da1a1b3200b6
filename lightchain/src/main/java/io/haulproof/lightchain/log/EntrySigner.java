package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;

/**
 * Gives an entry its header (device id, boot epoch, sequence number, wall time with source and
 * quality, uptime since open) and signs it as COSE_Sign1. It holds no lock, so producers sign in
 * parallel on their own threads.
 */
final class EntrySigner {
  private final String deviceId;
  private final long bootEpoch;
  private final long startNanos = System.nanoTime();

  EntrySigner(String deviceId, long bootEpoch) {
    this.deviceId = deviceId;
    this.bootEpoch = bootEpoch;
  }

  /**
   * The COSE_Sign1 bytes of {@code body} under {@code seq}, signed with {@code key}, stamped with
   * the wall time {@code now}.
   *
   * @throws RuntimeException if signing fails
   */
  Bytes sign(DeviceKey key, long seq, WallClock.Reading now, EntryBody body) {
    long uptime = (System.nanoTime() - startNanos) / 1_000_000;
    EntryHeader h =
        new EntryHeader(
            deviceId, bootEpoch, seq, now.millis(), now.source(), now.uncertaintyMs(), uptime);
    return EntryCodec.sign(key, new Entry(h, body)).encoded();
  }

  String deviceId() {
    return deviceId;
  }

  long bootEpoch() {
    return bootEpoch;
  }
}
