package io.haulproof.ledger;

import io.haulproof.ledger.store.Db;
import io.haulproof.ledger.store.DbTree;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.wire.LostEntryMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The central ledger and witness, independent of transport: it verifies entries and keeps them
 * pending until a device-signed checkpoint binds their place ({@link EntryBinder}), and checks and
 * cosigns checkpoints ({@link CheckpointJudge}); everything lives in SQL ({@link LedgerStore}).
 *
 * <p>Security guarantees: fleet and device are those of the device certificate; a topic naming
 * other or invalid names is refused. An entry becomes a candidate only if its COSE signature
 * verifies under a key of that device (or, bounded, if its key is not known yet and will be checked
 * at binding), its payload names that device, and it is not already bound elsewhere. The index a
 * publisher claims is a hint: nothing is bound at an index but what the device's signed root puts
 * there, so a replayed entry or an unsigned {@code lost} placeholder cannot rewrite a device's
 * record. Unbound data is bounded per index, per device and in total (in the database, not in
 * memory). Refusals and contradictions are counted and kept as evidence.
 */
public final class Ledger implements Closeable {
  /** An entry the ledger refused; the message says why. */
  public static final class RejectedEntryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedEntryException(String message) {
      super(message);
    }
  }

  /**
   * Bounds on unbound data.
   *
   * @param perIndex candidates waiting at one index
   * @param perDevice candidates waiting for one device
   * @param unverifiedPerDevice candidates of one device whose key is not known yet
   * @param total candidates waiting in the whole ledger
   */
  public record Limits(int perIndex, int perDevice, int unverifiedPerDevice, long total) {
    /**
     * 4 per index, 4,096 per device, 64 by unknown keys per device, 500,000 in total; each can be
     * changed with the system properties {@code haulproof.ledger.pendingPerIndex}, {@code
     * …pendingPerDevice}, {@code …unverifiedPerDevice}, {@code …pendingTotal}.
     */
    public static Limits defaults() {
      return new Limits(
          Integer.getInteger("haulproof.ledger.pendingPerIndex", 4),
          Integer.getInteger("haulproof.ledger.pendingPerDevice", 4096),
          Integer.getInteger("haulproof.ledger.unverifiedPerDevice", 64),
          Long.getLong("haulproof.ledger.pendingTotal", 500_000L));
    }
  }

  static final int MAX_ENTRY = 64 * 1024;

  private final LedgerStore store;
  private final boolean ownsStore;
  private final DeviceRegistry registry;
  private final DeviceKey witnessKey;
  private final String witnessName;
  private final Clock clock;
  private final Limits limits;
  private final EntryBinder binder;
  private final CheckpointJudge judge;
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  // 30 s: keys bound here are forgotten at once, an unknown kid reloads at once, and whether a key
  // may sign at an index is decided again from the database at binding; so the age only delays a
  // revocation bound by another instance from refusing candidates early. At 2 s, 1,000 trucks cost
  // two key reads per batch (session 10: 11% of the lanes' waits on PostgreSQL).
  private final KeyCache keyCache = new KeyCache(30_000, 100_000);

  /**
   * Devices ({@code fleet/device}) whose key rows a binding changed in a transaction that may not
   * have committed yet: their cached keys are forgotten again once it has (a reload in between
   * would have read the old rows).
   */
  private final java.util.Set<String> keysBound = ConcurrentHashMap.newKeySet();

  /**
   * Verifiers of the keys in use, kept across batches: a city's 1,000 trucks with a few keys each
   * fit; a verifier with its precomputed table takes a few KiB.
   */
  private final VerifierCache verifiers = new VerifierCache(4_096);

  /**
   * Entries verified recently, so that a resend of the same bytes is not verified again: 65,536
   * leaves (about 8 MiB) cover about an hour of a city's 1,000 trucks.
   */
  private final VerifiedEntries verifiedEntries = new VerifiedEntries(65_536);

  private final PendingTotal pendingTotal;

  /**
   * Leaves this ledger saw bound, so that a resend of bound entries opens no transaction: at most
   * 1,048,576 leaves (32 MiB) in all, the latest 1,024 per device ({@code
   * haulproof.ledger.boundLeaves}, {@code …boundLeavesPerDevice}).
   */
  private final BoundLeaves boundLeaves;

  /** A ledger on SQLite in {@code dataDir/ledger.db} (tests and the demo). */
  public Ledger(
      Path dataDir,
      DeviceRegistry registry,
      CheckpointNotes notes,
      DeviceKey witnessKey,
      String witnessName,
      Clock clock)
      throws IOException {
    this(
        new LedgerStore(Db.open(null, dataDir)),
        true,
        registry,
        notes,
        witnessKey,
        witnessName,
        clock,
        Limits.defaults());
  }

  public Ledger(
      LedgerStore store,
      boolean ownsStore,
      DeviceRegistry registry,
      CheckpointNotes notes,
      DeviceKey witnessKey,
      String witnessName,
      Clock clock,
      Limits limits)
      throws IOException {
    this.store = store;
    this.ownsStore = ownsStore;
    this.registry = registry;
    this.witnessKey = witnessKey;
    this.witnessName = witnessName;
    this.clock = clock;
    this.limits = limits;
    this.pendingTotal = new PendingTotal(store, limits.total(), 1_000);
    this.boundLeaves =
        new BoundLeaves(
            Integer.getInteger("haulproof.ledger.boundLeaves", 1 << 20),
            Integer.getInteger("haulproof.ledger.boundLeavesPerDevice", 1_024),
            store.db()::connectionsOpened);
    registry.attach(store, clock);
    this.binder = new EntryBinder(store, registry, clock, this::count, this::keysBound);
    this.judge = new CheckpointJudge(this, notes, binder);
  }

  public DeviceRegistry registry() {
    return registry;
  }

  public LedgerStore store() {
    return store;
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

  DeviceKey witnessKey() {
    return witnessKey;
  }

  Clock clock() {
    return clock;
  }

  /** Counters by name (entries, candidates, rejections by reason, receipts by status). */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Adds one to counter {@code name} (shown in {@code /metrics}; see {@link LedgerMetrics}). */
  public void count(String name) {
    counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  /** A read view of a device's bound log. */
  public DeviceLedger device(Topics t) {
    return new DeviceLedger(this, t);
  }

  /** The device's view only if it joined. */
  public Optional<DeviceLedger> existingDevice(Topics t) {
    if (!Names.valid(t.fleet()) || !Names.valid(t.device())) {
      return Optional.empty();
    }
    try {
      boolean known =
          registry.member(t.fleet(), t.device()).isPresent()
              || store.db().read(c -> store.device(c, t.fleet(), t.device(), false)).isPresent();
      return known ? Optional.of(device(t)) : Optional.empty();
    } catch (SQLException e) {
      throw new java.io.UncheckedIOException(new IOException(e));
    }
  }

  /** The certificate member the topic names, or a rejection. */
  DeviceRegistry.Member member(Topics t, String what) {
    if (!Names.valid(t.fleet()) || !Names.valid(t.device())) {
      throw reject(
          "topic.bad_name",
          what + " on a topic naming fleet '" + t.fleet() + "' device '" + t.device() + "'");
    }
    Optional<DeviceRegistry.Member> m = registry.member(t.fleet(), t.device());
    if (m.isEmpty()) {
      if (registry.isRevoked(t.fleet(), t.device())) {
        throw reject("device.revoked", what + ": device " + t.device() + " is revoked");
      }
      throw reject(
          what + ".unknown_device", what + " for unknown device " + t.key() + ": no certificate");
    }
    return m.get();
  }

  /** One entry as received: its {@code index} user property (a hint) and its COSE bytes. */
  public record Received(String indexProperty, Bytes cose) {}

  /** What became of one entry of a batch: its outcome, or why it was refused. */
  public record Accepted(Optional<DeviceLedger.Outcome> outcome, Optional<String> refused) {
    /** The outcome, or a {@link RejectedEntryException} with the reason. */
    public DeviceLedger.Outcome orThrow() {
      return outcome.orElseThrow(() -> new RejectedEntryException(refused.orElseThrow()));
    }
  }

  /**
   * Verifies one entry and keeps it as a candidate for its index, binding whatever a cosigned
   * checkpoint now covers: {@link #acceptEntries} with one entry.
   *
   * @param indexProperty the {@code index} user property as received (a hint)
   * @throws RejectedEntryException with the reason if it is malformed, unsigned, from an unknown
   *     key or device, mislabelled or replayed
   */
  public DeviceLedger.Outcome acceptEntry(Topics t, String indexProperty, Bytes cose)
      throws IOException {
    return acceptEntries(t, List.of(new Received(indexProperty, cose))).get(0).orThrow();
  }

  /**
   * Verifies entries of one device (each as {@link #acceptEntry} does) and keeps those that pass as
   * candidates in one transaction, then binds whatever a cosigned checkpoint now covers. One entry
   * refused does not refuse the others.
   *
   * @return what became of each entry, in order
   */
  public List<Accepted> acceptEntries(Topics t, List<Received> entries) throws IOException {
    List<Accepted> out = new ArrayList<>(entries.size());
    List<Rows.Candidate> cands = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    DeviceRegistry.Member m = null;
    for (Received r : entries) {
      try {
        Checked ch = check(t, r.indexProperty(), r.cose());
        m = ch.member();
        cands.add(ch.candidate());
        at.add(out.size());
        out.add(null);
      } catch (RejectedEntryException e) {
        out.add(new Accepted(Optional.empty(), Optional.of(e.getMessage())));
      }
    }
    if (m != null) {
      Optional<List<Accepted>> known = knownDuplicates(m, cands);
      List<Accepted> offered = known.isPresent() ? known.get() : offer(m, cands);
      for (int i = 0; i < at.size(); i++) {
        out.set(at.get(i), offered.get(i));
      }
    }
    return out;
  }

  private record Checked(DeviceRegistry.Member member, Rows.Candidate candidate) {}

  /**
   * Duplicates for every candidate if each is a resend of the entry bound at its index that {@link
   * BoundLeaves} holds (the same leaf, so the same bytes): the answer the database would give
   * ({@link #offerBelowBound}), without a transaction. Else empty, and the batch goes to the
   * database. The candidates passed {@link #check} (member not revoked, signature, key) first.
   */
  private Optional<List<Accepted>> knownDuplicates(
      DeviceRegistry.Member m, List<Rows.Candidate> cands) {
    List<BoundLeaves.Leaf> leaves = new ArrayList<>(cands.size());
    for (Rows.Candidate cand : cands) {
      if (cand.lost() || !cand.verified()) {
        return Optional.empty();
      }
      leaves.add(new BoundLeaves.Leaf(cand.idx(), cand.leaf()));
    }
    if (!boundLeaves.allBound(Topics.key(m.fleet(), m.device()), leaves)) {
      return Optional.empty();
    }
    List<Accepted> out = new ArrayList<>(cands.size());
    for (int i = 0; i < cands.size(); i++) {
      count("entry.duplicate");
      count("entry.duplicate_known");
      out.add(new Accepted(Optional.of(DeviceLedger.Outcome.DUPLICATE), Optional.empty()));
    }
    return Optional.of(out);
  }

  private Checked check(Topics t, String indexProperty, Bytes cose) throws IOException {
    long index = parseIndex(indexProperty);
    if (cose.length() == 0 || cose.length() > MAX_ENTRY) {
      throw reject("entry.oversized", "entry " + index + " of " + cose.length() + " bytes");
    }
    CoseSign1 msg;
    Entry entry;
    try {
      msg = CoseSign1.decode(cose);
    } catch (RuntimeException e) {
      throw reject(
          "entry.malformed",
          "entry " + index + " of " + t.device() + " is not a COSE_Sign1: " + e.getMessage());
    }
    try {
      entry = EntryCodec.decode(msg);
    } catch (RuntimeException e) {
      throw reject(
          "entry.bad_payload", "entry " + index + " of " + t.device() + ": " + e.getMessage());
    }
    joinByKeyEntry(t, msg, entry);
    DeviceRegistry.Member m = member(t, "entry");
    if (!entry.header().deviceId().equals(m.device())) {
      throw reject(
          "entry.wrong_device",
          "entry " + index + " names device " + entry.header().deviceId() + ", want " + m.device());
    }
    Hash leaf = Rfc9162.leafHash(cose);
    DeviceKeyInfo key =
        keyCache
            .keys(Topics.key(m.fleet(), m.device()), msg.kid(), clock.millis(), () -> deviceKeys(m))
            .get(msg.kid());
    boolean verified = false;
    if (key == null) {
      // Only a key entry before this index can bring the key in: none can be unbound at the next
      // one.
      if (index <= confirmed(m.fleet(), m.device())) {
        throw reject(
            "entry.unknown_key",
            "entry "
                + index
                + ": kid "
                + msg.kid().value().toHex()
                + " is not a registered key of "
                + m.device());
      }
    } else {
      if (key.revokedFrom().isPresent() && index >= key.revokedFrom().get()) {
        throw reject(
            "entry.untrusted_key",
            "entry "
                + index
                + " of "
                + m.device()
                + ": kid "
                + msg.kid().value().toHex()
                + " was revoked before this index");
      }
      if (verifiedEntries.verifiedBy(leaf, key.key())) {
        count("entry.signature_known"); // a resend of bytes verified under this key: same result
      } else {
        try {
          msg.verify(key.verifier());
        } catch (RuntimeException e) {
          throw reject(
              "entry.bad_signature",
              "entry " + index + " of " + m.device() + ": " + e.getMessage());
        }
        verifiedEntries.add(leaf, key.key());
      }
      verified = true;
    }
    Rows.Candidate cand =
        new Rows.Candidate(
            index,
            leaf,
            entry.body().kind().name(),
            Optional.of(entry.header().seq()),
            Optional.of(cose),
            clock.millis(),
            verified);
    return new Checked(m, cand);
  }

  /**
   * A {@code key} entry carrying a certificate chain for its own key lets a device join: the chain
   * must verify to the fleet root and name the device the topic names.
   */
  private void joinByKeyEntry(Topics t, CoseSign1 msg, Entry entry) {
    if (!(entry.body() instanceof KeyBody kb)
        || kb.action() == KeyAction.REVOKE
        || kb.certChain().isEmpty()
        || !kb.kid().equals(msg.kid())
        || registry.member(t.fleet(), t.device()).isPresent()) {
      return;
    }
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (Bytes der : kb.certChain()) {
        chain.add(
            (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der.toByteArray())));
      }
      DeviceRegistry.Member m = registry.join(chain);
      if (!Kid.of(m.key()).equals(msg.kid())) {
        count("join.key_mismatch");
      } else {
        count("join.key_entry");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      count("join.refused");
      LedgerLog.warn("join.refused", t.fleet(), t.device(), "key entry: " + e.getMessage());
    }
  }

  /**
   * A key the device may sign with, and the first index it may no longer sign (if revoked); {@code
   * verifier} is made once per key and reused (a fresh one per signature cost 4x the verification,
   * redoing the key's precomputation every time).
   */
  record DeviceKeyInfo(PublicKey key, Optional<Long> revokedFrom, SignatureVerifier verifier) {}

  private DeviceKeyInfo keyInfo(PublicKey key, Optional<Long> revokedFrom) {
    return new DeviceKeyInfo(key, revokedFrom, verifiers.of(key));
  }

  /**
   * The keys of a device: its certificate keys, the keys its bound key entries brought in (with
   * their revocation), and those pending key entries (verified under a key known then) enroll or
   * rotate in. Whether a key may sign at an entry's index is decided again when the entry is bound.
   */
  Map<Kid, DeviceKeyInfo> deviceKeys(DeviceRegistry.Member m) throws IOException {
    Map<Kid, DeviceKeyInfo> out = new java.util.LinkedHashMap<>();
    for (PublicKey k : registry.keys(m.fleet(), m.device())) {
      out.put(Kid.of(k), keyInfo(k, Optional.empty()));
    }
    try {
      record Stored(List<Rows.Key> keys, List<Rows.Candidate> pendingKeys) {}
      Stored stored = // one read transaction for both
          store
              .db()
              .read(
                  c ->
                      new Stored(
                          store.keys(c, m.fleet(), m.device()),
                          store.pendingOfKind(c, m.fleet(), m.device(), "key")));
      for (Rows.Key row : stored.keys()) {
        Kid kid = Kid.fromHex(row.kid());
        PublicKey k = out.containsKey(kid) ? out.get(kid).key() : PublicKeys.fromSpki(row.spki());
        out.put(kid, keyInfo(k, row.revokedFrom()));
      }
      for (Rows.Candidate p : stored.pendingKeys()) {
        Entry e = EntryCodec.decode(CoseSign1.decode(p.cose().orElseThrow()));
        if (e.body() instanceof KeyBody kb && kb.action() != KeyAction.REVOKE) {
          out.putIfAbsent(kb.kid(), keyInfo(PublicKeys.fromSpki(kb.publicKey()), Optional.empty()));
        }
      }
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  /**
   * Records a {@code kind=lost} placeholder as a candidate: it holds no content, only the leaf hash
   * the device's tree holds there, and is bound only where the device's signed root puts it and a
   * device-signed {@code loss} entry names the index.
   */
  public DeviceLedger.Outcome acceptLost(Topics t, String indexProperty, Bytes payload)
      throws IOException {
    long index = parseIndex(indexProperty);
    LostEntryMessage msg;
    try {
      msg = LostEntryMessage.decode(payload);
    } catch (RuntimeException e) {
      throw reject("lost.malformed", "lost placeholder " + index + ": " + e.getMessage());
    }
    if (msg.index() != index) {
      throw reject(
          "lost.wrong_index",
          "lost placeholder names index " + msg.index() + ", user property says " + index);
    }
    DeviceRegistry.Member m = member(t, "lost");
    Rows.Candidate cand =
        new Rows.Candidate(
            index, msg.leaf(), "lost", Optional.empty(), Optional.empty(), clock.millis(), true);
    return offer(m, List.of(cand)).get(0).orThrow();
  }

  private record Offer(DeviceLedger.Outcome outcome, String rejectCounter, String reason) {}

  /** Keeps candidates of one device in one transaction, then counts what became of each. */
  private List<Accepted> offer(DeviceRegistry.Member m, List<Rows.Candidate> cands)
      throws IOException {
    List<Offer> os;
    try {
      os = inTransactionLearning(m, false, (c, facts) -> offerInTx(c, m, cands, facts));
    } catch (SQLException e) {
      forgetKeysIfBound(Topics.key(m.fleet(), m.device()));
      Rows.Candidate first = cands.get(0);
      throw new IOException(
          "storing "
              + (first.lost() ? "lost " : "entry ")
              + first.idx()
              + (cands.size() > 1 ? " and " + (cands.size() - 1) + " more" : "")
              + ": "
              + e.getMessage(),
          e);
    }
    forgetKeysIfBound(Topics.key(m.fleet(), m.device()));
    List<Accepted> out = new ArrayList<>(os.size());
    for (int i = 0; i < os.size(); i++) {
      Offer o = os.get(i);
      if (o.rejectCounter() != null) {
        out.add(
            new Accepted(
                Optional.empty(), Optional.of(reject(o.rejectCounter(), o.reason()).getMessage())));
        continue;
      }
      String what = cands.get(i).lost() ? "lost" : "entry";
      count(what + "." + o.outcome().name().toLowerCase(Locale.ROOT));
      out.add(new Accepted(Optional.of(o.outcome()), Optional.empty()));
    }
    return out;
  }

  /** Work in a transaction that notes which of the device's leaves it saw bound. */
  @FunctionalInterface
  interface LearningWork<T> {
    T run(java.sql.Connection c, BoundLeaves.Facts facts) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction of device {@code m} (durable, or committed without waiting
   * for the WAL flush) and, once it committed, tells {@link BoundLeaves} what it learned: the facts
   * of the attempt that committed (each retry starts afresh), dropped if the pool reconnected since
   * the transaction began.
   */
  <T> T inTransactionLearning(DeviceRegistry.Member m, boolean durable, LearningWork<T> work)
      throws SQLException {
    long connectionsBefore = store.db().connectionsOpened();
    List<BoundLeaves.Facts> attempt = new ArrayList<>(1);
    Db.Work<T> tx =
        c -> {
          BoundLeaves.Facts facts = new BoundLeaves.Facts();
          attempt.clear();
          attempt.add(facts);
          return work.run(c, facts);
        };
    T out = durable ? store.db().inTransaction(tx) : store.db().inTransactionAsyncCommit(tx);
    boundLeaves.apply(Topics.key(m.fleet(), m.device()), attempt.get(0), connectionsBefore);
    return out;
  }

  /** Leaves held to answer resends without a transaction (for tests). */
  BoundLeaves boundLeaves() {
    return boundLeaves;
  }

  /**
   * The candidates' checks and inserts under the device's row lock: what the database holds is read
   * once per batch (bound leaves, candidates per index, the device's counts) and kept up to date in
   * memory; an eviction, rare, writes what is queued and reads again. What is bound (found below
   * the bound prefix, or bound now) goes to {@code facts}.
   */
  private List<Offer> offerInTx(
      java.sql.Connection c,
      DeviceRegistry.Member m,
      List<Rows.Candidate> cands,
      BoundLeaves.Facts facts)
      throws SQLException {
    String f = m.fleet();
    String dev = m.device();
    long now = clock.millis();
    Rows.Device d =
        store
            .device(c, f, dev, true)
            .orElseThrow(() -> new SQLException("device " + f + "/" + dev + " has no row"));
    List<Offer> out = new ArrayList<>(java.util.Collections.nCopies(cands.size(), null));
    if (d.revoked()) {
      facts.revoked();
      out.replaceAll(o -> new Offer(null, "device.revoked", "device " + dev + " is revoked"));
      return out;
    }
    List<Hash> leaves = new ArrayList<>();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Rows.Candidate p : cands) {
      if (!p.lost() && p.idx() >= d.confirmed()) {
        leaves.add(p.leaf());
      }
      lo = Math.min(lo, p.idx());
      hi = Math.max(hi, p.idx());
    }
    Map<Hash, Long> bound = store.boundIndexes(c, f, dev, leaves);
    Rows.PendingCounts counts = store.pendingCounts(c, f, dev, lo, hi + 1);
    Map<Long, Long> atIndex = new java.util.HashMap<>(counts.perIndex());
    Rows.PendingStats ps = counts.stats();
    List<Integer> queued = new ArrayList<>();
    for (int i = 0; i < cands.size(); i++) {
      Rows.Candidate cand = cands.get(i);
      String what = cand.lost() ? "lost" : "entry";
      if (cand.idx() < d.confirmed()) {
        out.set(i, offerBelowBound(c, d, cand, what, now, facts));
        continue;
      }
      Long boundAt = cand.lost() ? null : bound.get(cand.leaf());
      if (boundAt != null) {
        store.insertEvidence(
            c,
            f,
            dev,
            cand.idx(),
            "replayed",
            "entry bound at index " + boundAt + " offered again at index " + cand.idx(),
            null,
            cand.cose().get(),
            now);
        out.set(
            i,
            new Offer(
                null,
                "entry.replayed",
                "entry " + cand.idx() + " of " + dev + " is the entry bound at index " + boundAt));
        continue;
      }
      long here = atIndex.getOrDefault(cand.idx(), 0L);
      if (here >= limits.perIndex() || ps.ofDevice() >= limits.perDevice()) {
        insertQueued(c, d, cands, queued, out);
        boolean room =
            here >= limits.perIndex() ? evictFor(c, d, cand, now) : evictFarthest(c, d, cand, now);
        if (!room) {
          out.set(
              i,
              full(
                  here >= limits.perIndex()
                      ? "index " + cand.idx() + " already has " + here + " candidates"
                      : "device has " + limits.perDevice() + " unbound candidates"));
          continue;
        }
        counts = store.pendingCounts(c, f, dev, lo, hi + 1);
        atIndex = new java.util.HashMap<>(counts.perIndex());
        ps = counts.stats();
        here = atIndex.getOrDefault(cand.idx(), 0L);
        if (here >= limits.perIndex() || ps.ofDevice() >= limits.perDevice()) {
          i--; // the other bound may also need room: judge this candidate again
          continue;
        }
      }
      if (!cand.verified() && ps.unverified() >= limits.unverifiedPerDevice()) {
        out.set(i, full("device has too many candidates signed by unknown keys"));
        continue;
      }
      if (pendingTotal.reached(c, now)) {
        out.set(i, full("the ledger holds " + limits.total() + " unbound candidates"));
        continue;
      }
      queued.add(i);
      pendingTotal.added();
      atIndex.merge(cand.idx(), 1L, Long::sum);
      ps = new Rows.PendingStats(ps.ofDevice() + 1, ps.unverified() + (cand.verified() ? 0 : 1));
    }
    insertQueued(c, d, cands, queued, out);
    if (out.stream().anyMatch(o -> o == STORED_MARK)) {
      store.touch(c, f, dev, "last_entry_at", now);
      long confirmed = binder.advance(c, d, facts);
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i) == STORED_MARK) {
          out.set(
              i,
              new Offer(
                  confirmed > cands.get(i).idx()
                      ? DeviceLedger.Outcome.STORED
                      : DeviceLedger.Outcome.BUFFERED,
                  null,
                  null));
        }
      }
    }
    return out;
  }

  /** Marks a candidate inserted, until the binder says whether it is bound. */
  private static final Offer STORED_MARK = new Offer(DeviceLedger.Outcome.BUFFERED, null, null);

  /** Inserts the queued candidates (one batch) and marks each inserted or a duplicate. */
  private void insertQueued(
      java.sql.Connection c,
      Rows.Device d,
      List<Rows.Candidate> cands,
      List<Integer> queued,
      List<Offer> out)
      throws SQLException {
    List<Rows.Candidate> rows = new ArrayList<>(queued.size());
    queued.forEach(i -> rows.add(cands.get(i)));
    boolean[] inserted = store.insertPending(c, d.fleet(), d.device(), rows);
    for (int k = 0; k < queued.size(); k++) {
      out.set(
          queued.get(k),
          inserted[k] ? STORED_MARK : new Offer(DeviceLedger.Outcome.DUPLICATE, null, null));
    }
    queued.clear();
  }

  /**
   * A candidate for an index that is bound already: a duplicate, or a conflict kept as evidence.
   */
  private Offer offerBelowBound(
      java.sql.Connection c,
      Rows.Device d,
      Rows.Candidate cand,
      String what,
      long now,
      BoundLeaves.Facts facts)
      throws SQLException {
    Rows.Candidate bound = store.entry(c, d.fleet(), d.device(), cand.idx()).orElseThrow();
    if (bound.leaf().equals(cand.leaf()) && bound.lost() == cand.lost()) {
      if (!bound.lost()) {
        facts.bound(bound.idx(), bound.leaf());
      }
      return new Offer(DeviceLedger.Outcome.DUPLICATE, null, null);
    }
    store.insertEvidence(
        c,
        d.fleet(),
        d.device(),
        cand.idx(),
        "conflict",
        bound.lost()
            ? what + " for index " + cand.idx() + ", bound as lost by the device's loss entry"
            : what + " differs from the entry bound at index " + cand.idx(),
        null,
        cand.cose().orElse(cand.leaf().toBytes()),
        now);
    return new Offer(DeviceLedger.Outcome.CONFLICT, null, null);
  }

  /**
   * Makes room at a full index for a candidate that looks more like the device's own: a signed
   * entry whose sequence number fits the bound prefix evicts a lost placeholder or a signed entry
   * whose sequence number does not fit; a lost placeholder evicts the oldest lost placeholder. The
   * evicted candidate is kept as evidence. Anyone can publish, so the truck's resend must always
   * find room.
   */
  private boolean evictFor(java.sql.Connection c, Rows.Device d, Rows.Candidate cand, long now)
      throws SQLException {
    long expected = expectedSeq(c, d, cand.idx());
    boolean fits = cand.seq().map(x -> x == expected).orElse(false);
    for (Rows.Candidate p : store.pending(c, d.fleet(), d.device(), cand.idx(), cand.idx() + 1)) {
      boolean victim =
          cand.lost()
              ? p.lost()
              : fits && (p.lost() || p.seq().map(x -> x != expected).orElse(true));
      if (victim) {
        store.deletePending(c, d.fleet(), d.device(), p);
        store.insertEvidence(
            c,
            d.fleet(),
            d.device(),
            p.idx(),
            "evicted",
            "candidate evicted from full index " + p.idx() + " for one that fits the log better",
            null,
            p.cose().orElse(p.leaf().toBytes()),
            now);
        count("pending.evicted");
        return true;
      }
    }
    return false;
  }

  /** The sequence number the device's own entry at {@code idx} would carry, by the bound prefix. */
  private long expectedSeq(java.sql.Connection c, Rows.Device d, long idx) throws SQLException {
    long prevSeq =
        d.confirmed() == 0
            ? 0
            : store
                .entry(c, d.fleet(), d.device(), d.confirmed() - 1)
                .flatMap(Rows.Candidate::seq)
                .orElse(0L);
    return prevSeq + (idx - d.confirmed()) + 1;
  }

  /**
   * At the device's cap, a signed entry that fits the bound prefix evicts the farthest-ahead
   * candidate that does not (a lost placeholder or a misplaced signed entry): unsigned junk cannot
   * lock the truck out.
   */
  private boolean evictFarthest(java.sql.Connection c, Rows.Device d, Rows.Candidate cand, long now)
      throws SQLException {
    if (cand.lost() || cand.seq().orElse(-1L) != expectedSeq(c, d, cand.idx())) {
      return false;
    }
    long base = expectedSeq(c, d, d.confirmed()) - d.confirmed();
    for (Rows.Candidate p : store.pendingFarthest(c, d.fleet(), d.device(), 256)) {
      if (p.lost() || p.seq().map(x -> x != base + p.idx()).orElse(true)) {
        store.deletePending(c, d.fleet(), d.device(), p);
        store.insertEvidence(
            c,
            d.fleet(),
            d.device(),
            p.idx(),
            "evicted",
            "candidate at " + p.idx() + " evicted at the device's cap for one that fits the log",
            null,
            p.cose().orElse(p.leaf().toBytes()),
            now);
        count("pending.evicted");
        return true;
      }
    }
    return false;
  }

  private Offer full(String why) {
    count("pending.full");
    return new Offer(DeviceLedger.Outcome.DROPPED, null, why);
  }

  RejectedEntryException reject(String counter, String message) {
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
          "entry 'index' user property '"
              + (p.length() > 40 ? p.substring(0, 40) + "…" : p)
              + "', want a canonical decimal >= 0");
    }
  }

  /**
   * Checks a checkpoint submission and returns the answer for the {@code receipts} topic; never
   * throws on input.
   */
  public io.haulproof.uplink.wire.ReceiptMessage acceptCheckpoint(Topics t, Bytes payload)
      throws IOException {
    io.haulproof.uplink.wire.ReceiptMessage r;
    try {
      r = judge.judge(t, payload);
    } finally {
      forgetKeysIfBound(Topics.key(t.fleet(), t.device()));
    }
    count(
        "receipt."
            + (r instanceof io.haulproof.uplink.wire.ReceiptMessage.Cosigned
                ? "cosigned"
                : r instanceof io.haulproof.uplink.wire.ReceiptMessage.Conflict
                    ? "conflict"
                    : "rejected"));
    return r;
  }

  /**
   * A binding enrolled, rotated or revoked keys of {@code device}: its cached keys go now, and
   * again after the transaction ({@link #forgetKeysIfBound}). Bindings without key entries keep
   * them, so that a checkpoint does not cost every device a reload of its keys.
   */
  private void keysBound(String device) {
    keyCache.forget(device);
    keysBound.add(device);
  }

  private void forgetKeysIfBound(String device) {
    if (keysBound.remove(device)) {
      keyCache.forget(device);
    }
  }

  /** Nothing to do: every acceptance commits before it returns. Kept for callers. */
  public void syncAll() {}

  /** Number of bound entries of a device (0 if unknown). */
  long confirmed(String fleet, String device) throws IOException {
    try {
      return store
          .db()
          .read(c -> store.device(c, fleet, device, false))
          .map(Rows.Device::confirmed)
          .orElse(0L);
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** A tree over the device's bound entries, inside {@code c}. */
  DbTree tree(java.sql.Connection c, String fleet, String device, long size) {
    return new DbTree(store, c, fleet, device, size);
  }

  Hash leafOf(Bytes cose) {
    return Rfc9162.leafHash(cose);
  }

  @Override
  public void close() throws IOException {
    if (ownsStore) {
      store.close();
    }
  }
}
