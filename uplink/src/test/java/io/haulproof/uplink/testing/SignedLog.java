package io.haulproof.uplink.testing;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.outbox.EntrySource;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * An in-memory stand-in for the evidence log in uplink tests: real signed COSE entries (collection
 * kind) of one device, an RFC 9162 tree, and checkpoints signed by a pluggable note signer.
 */
public final class SignedLog implements EntrySource, CheckpointSource {
  private final String deviceId;
  private final SoftwareDeviceKey key;
  private final List<Bytes> entries = new ArrayList<>();
  private final MerkleTree tree = MerkleTree.inMemory();
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private final long bootEpoch;
  private volatile Signed latest;

  private SignedLog(String deviceId, SoftwareDeviceKey key, long bootEpoch) {
    this.deviceId = deviceId;
    this.key = key;
    this.bootEpoch = bootEpoch;
  }

  /**
   * A second log with the same device and key whose own entries differ (another boot epoch): a
   * fork.
   */
  public static SignedLog sameKey(SignedLog base) {
    return new SignedLog(base.deviceId, base.key, base.bootEpoch + 1);
  }

  public SignedLog(String deviceId, long seed) {
    this.deviceId = deviceId;
    this.bootEpoch = 1;
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("SHA1PRNG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    r.setSeed(seed);
    this.key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r);
  }

  public SoftwareDeviceKey key() {
    return key;
  }

  public String deviceId() {
    return deviceId;
  }

  /** Appends {@code n} signed collection entries and notifies commit listeners. */
  public void append(int n) {
    long size;
    synchronized (this) {
      for (int i = 0; i < n; i++) {
        CoseSign1 cose = EntryCodec.sign(key, new Entry(nextHeader(), SampleEntries.collection()));
        entries.add(cose.encoded());
        tree.append(Rfc9162.leafHash(cose.encoded()));
      }
      size = entries.size();
    }
    for (LongConsumer l : listeners) {
      l.accept(size);
    }
  }

  /**
   * Appends a device-signed {@code loss} entry naming {@code lostIndex}, as the log writes when it
   * quarantines that record; the ledger binds a lost placeholder only when such an entry covers it.
   */
  public synchronized void appendLoss(long lostIndex) {
    LossBody body =
        new LossBody(
            LossReason.CRC_MISMATCH,
            "00000000.seg",
            0,
            0,
            OptionalLong.of(lostIndex),
            OptionalLong.of(lostIndex),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.empty(),
            Optional.of("test"));
    Bytes cose = EntryCodec.sign(key, new Entry(nextHeader(), body)).encoded();
    entries.add(cose);
    tree.append(Rfc9162.leafHash(cose));
  }

  /** The header of the next entry: this device and boot, the next seq, GNSS time. */
  private EntryHeader nextHeader() {
    long seq = entries.size() + 1L;
    EntryHeader sample = SampleEntries.header(seq);
    return new EntryHeader(
        deviceId,
        bootEpoch,
        seq,
        sample.wallTimeMillis(),
        TimeSource.GNSS,
        50,
        sample.uptimeMillis());
  }

  /** Appends raw bytes as an entry (for malformed-entry tests). */
  public synchronized void appendRaw(Bytes raw) {
    entries.add(raw);
    tree.append(Rfc9162.leafHash(raw));
  }

  /**
   * Signs a checkpoint of the current size with {@code signer} (note text to signed note) and makes
   * it latest.
   */
  public synchronized Signed checkpoint(Function<SignedLog, String> signer) {
    Signed s = new Signed(entries.size(), tree.root(entries.size()), signer.apply(this));
    latest = s;
    return s;
  }

  /**
   * Signs a checkpoint of the current size with the device key for {@code fleet}'s origin and makes
   * it latest.
   */
  public Signed checkpoint(String fleet) {
    return checkpoint(
        l ->
            new io.haulproof.lightchain.checkpoint.CheckpointSigner(l.key())
                .sign(
                    new io.haulproof.lightchain.checkpoint.Checkpoint(
                        io.haulproof.lightchain.checkpoint.Checkpoint.originFor(
                            fleet, l.deviceId()),
                        l.size(),
                        l.root(l.size())))
                .encode());
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }

  @Override
  public synchronized Bytes read(long index) {
    return entries.get((int) index);
  }

  @Override
  public void onCommit(LongConsumer newSize) {
    listeners.add(newSize);
  }

  @Override
  public Optional<Signed> latest() {
    return Optional.ofNullable(latest);
  }

  @Override
  public synchronized Hash root(long size) {
    return tree.root(size);
  }

  @Override
  public synchronized List<Hash> consistencyProof(long from, long to) {
    return from == 0 || from == to ? List.of() : tree.consistencyProof(from, to);
  }

  /** The entries as a list (copy). */
  public synchronized List<Bytes> entries() {
    return List.copyOf(entries);
  }
}
