package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.ProofException;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.LostEntryMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import io.haulproof.uplink.wire.WireFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference central ledger and witness, independent of transport: it verifies and stores
 * entries per device and checks and cosigns checkpoints (DOMAIN.md §5, "Checkpoints and
 * witnesses").
 *
 * <p>Security guarantees: an entry is stored only if its COSE signature verifies under a registered
 * key of the device named in the topic, or a key the device's stored log rotated or enrolled in
 * under such a key and did not revoke before the entry's index ({@link DeviceLedger}) and its
 * payload names that same device; the author is derived from the signature, never from a field. A
 * checkpoint is cosigned only if its note verifies under the device's key for the device's origin
 * and it is provably an extension (RFC 9162 consistency proof) of the latest checkpoint the witness
 * holds for that device, and, where the ledger holds the entries, its root equals the root of those
 * entries. Anything else gets a conflict (with the witness's latest checkpoint) or a rejection with
 * a reason. The latest checkpoint is saved atomically before the cosignature leaves.
 */
public final class Ledger implements Closeable {
  /** An entry the ledger refused; the message says why. */
  public static final class RejectedEntryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedEntryException(String message) {
      super(message);
    }
  }

  private final Path dataDir;
  private final DeviceRegistry registry;
  private final CheckpointNotes notes;
  private final DeviceKey witnessKey;
  private final String witnessName;
  private final Clock clock;
  private final Map<Topics, DeviceLedger> devices = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  public Ledger(
      Path dataDir,
      DeviceRegistry registry,
      CheckpointNotes notes,
      DeviceKey witnessKey,
      String witnessName,
      Clock clock) {
    this.dataDir = dataDir;
    this.registry = registry;
    this.notes = notes;
    this.witnessKey = witnessKey;
    this.witnessName = witnessName;
    this.clock = clock;
  }

  public DeviceRegistry registry() {
    return registry;
  }

  public PublicKey witnessPublicKey() {
    return witnessKey.publicKey();
  }

  /**
   * The answer to a checkpoints payload as the device receives it: {@code receipt} signed with the
   * witness key and bound to {@code checkpointMessage} ({@link SignedReceipt}); devices act on
   * nothing else.
   */
  public Bytes sealReceipt(Bytes checkpointMessage, ReceiptMessage receipt) {
    return SignedReceipt.seal(witnessKey, checkpointMessage, receipt);
  }

  public String witnessName() {
    return witnessName;
  }

  /**
   * Counters by name (entries stored, duplicates, rejections by reason class, receipts by status).
   */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private void count(String name) {
    counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  /** The ledger of a device, opened on first use. */
  public DeviceLedger device(Topics t) {
    return devices.computeIfAbsent(
        t,
        k -> {
          try {
            return DeviceLedger.open(
                k, dataDir.resolve("ledger").resolve(k.fleet()).resolve(k.device()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The ledger of a device only if it already has data on disk or in memory. */
  public Optional<DeviceLedger> existingDevice(Topics t) {
    DeviceLedger d = devices.get(t);
    if (d != null) {
      return Optional.of(d);
    }
    if (java.nio.file.Files.isDirectory(
        dataDir.resolve("ledger").resolve(t.fleet()).resolve(t.device()))) {
      return Optional.of(device(t));
    }
    return Optional.empty();
  }

  /**
   * Verifies and stores one entry.
   *
   * @param indexProperty the {@code index} user property as received
   * @throws RejectedEntryException with the reason if it is malformed, unsigned, from an unknown
   *     key or mislabelled
   */
  public DeviceLedger.Outcome acceptEntry(Topics t, String indexProperty, Bytes cose)
      throws IOException {
    try {
      long index = parseIndex(indexProperty);
      CoseSign1 msg;
      try {
        msg = CoseSign1.decode(cose);
      } catch (RuntimeException e) {
        throw reject(
            "entry.malformed",
            "entry " + index + " of " + t.device() + " is not a COSE_Sign1: " + e.getMessage());
      }
      if (registry.keys(t.device()).isEmpty()) {
        throw reject(
            "entry.unknown_key",
            "entry "
                + index
                + ": kid "
                + msg.kid().toHex()
                + " is not a registered key of "
                + t.device());
      }
      Entry entry;
      try {
        entry = EntryCodec.decode(msg);
      } catch (RuntimeException e) {
        throw reject(
            "entry.bad_payload", "entry " + index + " of " + t.device() + ": " + e.getMessage());
      }
      if (!entry.header().deviceId().equals(t.device())) {
        throw reject(
            "entry.wrong_device",
            "entry "
                + index
                + " names device "
                + entry.header().deviceId()
                + ", want "
                + t.device());
      }
      DeviceLedger.Outcome o;
      try {
        o = device(t).put(index, cose, kid -> registry.key(t.device(), kid));
      } catch (RejectedEntryException e) {
        count("entry.untrusted_key");
        throw e;
      }
      count("entry." + o.name().toLowerCase(java.util.Locale.ROOT));
      return o;
    } catch (RejectedEntryException e) {
      throw e;
    }
  }

  /**
   * Records a gap for an index the device lost (a {@code kind=lost} placeholder on {@code
   * entries}): the ledger stores no content for it, only the leaf hash the device's tree holds
   * there, so later entries, roots and consistency proofs go on; the device's signed {@code loss}
   * entry explains it.
   *
   * @throws RejectedEntryException if the message is malformed, names another index or an unknown
   *     device
   */
  public DeviceLedger.Outcome acceptLost(Topics t, String indexProperty, Bytes payload)
      throws IOException {
    long index = parseIndex(indexProperty);
    LostEntryMessage m;
    try {
      m = LostEntryMessage.decode(payload);
    } catch (WireFormatException e) {
      throw reject("lost.malformed", "lost placeholder " + index + ": " + e.getMessage());
    }
    if (m.index() != index) {
      throw reject(
          "lost.wrong_index",
          "lost placeholder names index " + m.index() + ", user property says " + index);
    }
    if (registry.keys(t.device()).isEmpty()) {
      throw reject("lost.unknown_device", "lost placeholder for unknown device " + t.device());
    }
    DeviceLedger.Outcome o =
        device(t).putLost(index, m.leaf(), kid -> registry.key(t.device(), kid));
    count("lost." + o.name().toLowerCase(java.util.Locale.ROOT));
    return o;
  }

  private RejectedEntryException reject(String counter, String message) {
    count(counter);
    return new RejectedEntryException(message);
  }

  private long parseIndex(String p) {
    if (p == null) {
      throw reject("entry.no_index", "entry without 'index' user property");
    }
    try {
      long i = Long.parseLong(p);
      if (i < 0 || !Long.toString(i).equals(p)) {
        throw new NumberFormatException(p);
      }
      return i;
    } catch (NumberFormatException e) {
      throw reject(
          "entry.bad_index",
          "entry 'index' user property '" + p + "', want a canonical decimal >= 0");
    }
  }

  /**
   * Checks a checkpoint submission and returns the answer for the {@code receipts} topic; never
   * throws on input.
   */
  public ReceiptMessage acceptCheckpoint(Topics t, Bytes payload) throws IOException {
    ReceiptMessage r = judge(t, payload);
    count(
        "receipt."
            + (r instanceof ReceiptMessage.Cosigned
                ? "cosigned"
                : r instanceof ReceiptMessage.Conflict ? "conflict" : "rejected"));
    return r;
  }

  /**
   * Makes every device's stored entries durable (the service calls this every few milliseconds).
   */
  public void syncAll() throws IOException {
    for (DeviceLedger d : devices.values()) {
      d.sync();
    }
  }

  private ReceiptMessage judge(Topics t, Bytes payload) throws IOException {
    Optional<DeviceLedger> existing = existingDevice(t);
    long stored = existing.isPresent() ? existing.get().sync() : 0L;
    CheckpointMessage m;
    try {
      m = CheckpointMessage.decode(payload);
    } catch (WireFormatException | IllegalArgumentException e) {
      return new ReceiptMessage.Rejected("malformed checkpoint message: " + e.getMessage(), stored);
    }
    List<PublicKey> registered = registry.keys(t.device());
    if (registered.isEmpty()) {
      return new ReceiptMessage.Rejected(
          "unknown device " + t.device() + ": no registered certificate", stored);
    }
    List<PublicKey> keys =
        existing.isPresent() ? existing.get().activeKeys(registered) : registered;
    NoteCheckpoint cp;
    try {
      cp = notes.verify(m.checkpoint(), notes.originFor(t.fleet(), t.device()), keys);
    } catch (RuntimeException e) {
      return new ReceiptMessage.Rejected("checkpoint not accepted: " + e.getMessage(), stored);
    }
    DeviceLedger d = device(t);
    synchronized (d) {
      stored = d.sync();
      Optional<NoteCheckpoint> latestOpt = d.latest();
      if (latestOpt.isPresent()) {
        NoteCheckpoint latest = latestOpt.get();
        if (cp.size() < latest.size()) {
          return new ReceiptMessage.Conflict(
              "rollback: checkpoint size "
                  + cp.size()
                  + " is below the witnessed size "
                  + latest.size(),
              latest.wire(),
              stored);
        }
        if (cp.size() == latest.size()) {
          if (!cp.root().equals(latest.root())) {
            return new ReceiptMessage.Conflict(
                "fork: root "
                    + cp.root().toHex()
                    + " at size "
                    + cp.size()
                    + ", witnessed root "
                    + latest.root().toHex(),
                latest.wire(),
                stored);
          }
        } else {
          if (m.consistencyFrom() != latest.size()) {
            return new ReceiptMessage.Conflict(
                "consistency_from "
                    + m.consistencyFrom()
                    + ", want the witnessed size "
                    + latest.size(),
                latest.wire(),
                stored);
          }
          try {
            ProofVerifier.verifyConsistency(
                latest.size(), cp.size(), m.proof(), latest.root(), cp.root());
          } catch (ProofException | RuntimeException e) {
            return new ReceiptMessage.Conflict(
                "fork: no consistency from witnessed size "
                    + latest.size()
                    + " to "
                    + cp.size()
                    + ": "
                    + e.getMessage(),
                latest.wire(),
                stored);
          }
        }
      }
      if (stored >= cp.size() && !d.root(cp.size()).equals(cp.root())) {
        return new ReceiptMessage.Conflict(
            "fork: root "
                + cp.root().toHex()
                + " at size "
                + cp.size()
                + " differs from the root of the stored entries "
                + d.root(cp.size()).toHex(),
            latestOpt.map(NoteCheckpoint::wire).orElse(""),
            stored);
      }
      if (latestOpt.isEmpty() || cp.size() > latestOpt.get().size()) {
        d.saveLatest(cp);
      }
      long now = clock.instant().getEpochSecond();
      return new ReceiptMessage.Cosigned(
          cp.text(),
          cp.size(),
          cp.root(),
          witnessName,
          witnessKey.kid(),
          now,
          Cosignatures.sign(witnessKey, cp.text(), now),
          stored);
    }
  }

  @Override
  public void close() throws IOException {
    for (DeviceLedger d : devices.values()) {
      d.close();
    }
  }
}
