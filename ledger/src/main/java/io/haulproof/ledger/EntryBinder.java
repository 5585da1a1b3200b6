package io.haulproof.ledger;

import io.haulproof.ledger.store.CollectionRow;
import io.haulproof.ledger.store.DbTree;
import io.haulproof.ledger.store.LedgerStore;
import io.haulproof.ledger.store.Rows;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.SignedEntry;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Binds pending entries to their place in a device's log (issue 13 hole 1): a run of candidates
 * from the first unbound index becomes bound only when a device-signed, cosigned checkpoint covers
 * it and the RFC 9162 root of the bound prefix plus the chosen candidates equals that checkpoint's
 * root. The index a publisher claims is only a hint; the device's signature over the root fixes
 * every leaf's place.
 *
 * <p>Also checked, in index order: each entry's key is trusted and not revoked at its index
 * (certificate keys and keys the device's own key entries enrolled or rotated in); a lost
 * placeholder is bound only if a device-signed {@code loss} entry in the bound prefix or the same
 * run names its index. When several candidates wait at one index (someone replayed or forged), a
 * bounded search over them (signed sequence numbers strictly increasing, each leaf once) finds the
 * one the device signed; the others are kept as evidence ({@code unbound}).
 *
 * <p>Runs inside the caller's transaction, holding the device's row lock.
 */
final class EntryBinder {
  private static final int MAX_ATTEMPTS = 64;

  private final LedgerStore store;
  private final DeviceRegistry registry;
  private final Clock clock;
  private final Consumer<String> count;
  private final Consumer<String> keysBound;

  /**
   * @param keysBound told {@code fleet/device} when a binding enrolled, rotated or revoked one of
   *     its keys (inside the transaction, before it commits)
   */
  EntryBinder(
      LedgerStore store,
      DeviceRegistry registry,
      Clock clock,
      Consumer<String> count,
      Consumer<String> keysBound) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.count = count;
    this.keysBound = keysBound;
  }

  /**
   * Binds as far as the pending run from {@code d.confirmed()} reaches a cosigned checkpoint;
   * returns the new number of bound entries. The signed entries it binds go to {@code facts}, for
   * after the commit.
   */
  long advance(Connection c, Rows.Device d, BoundLeaves.Facts facts) throws SQLException {
    long from = d.confirmed();
    long next = store.nextCosignedSize(c, d.fleet(), d.device(), from);
    if (next < 0 || store.pendingIndexes(c, d.fleet(), d.device(), from, next) < next - from) {
      return from; // no cosigned checkpoint yet whose run is complete: the common case while
      // ingesting
    }
    long runEnd = store.pendingRunEnd(c, d.fleet(), d.device(), from);
    if (runEnd == from) {
      return from;
    }
    for (Rows.Checkpoint cp : store.checkpointsBetween(c, d.fleet(), d.device(), from, runEnd)) {
      if (cp.cosigned() && bind(c, d, from, cp, facts)) {
        return cp.size();
      }
    }
    return from;
  }

  private boolean bind(
      Connection c, Rows.Device d, long from, Rows.Checkpoint cp, BoundLeaves.Facts facts)
      throws SQLException {
    List<Rows.Candidate> all = store.pending(c, d.fleet(), d.device(), from, cp.size());
    List<List<Rows.Candidate>> slots = new ArrayList<>();
    for (long i = from; i < cp.size(); i++) {
      slots.add(new ArrayList<>());
    }
    for (Rows.Candidate p : all) {
      slots.get((int) (p.idx() - from)).add(p);
    }
    for (List<Rows.Candidate> slot : slots) {
      // the entry itself before a lost placeholder with the same leaf: content beats a gap
      slot.sort(java.util.Comparator.comparing(Rows.Candidate::lost));
    }
    long prevSeq =
        from == 0
            ? 0
            : store
                .entry(c, d.fleet(), d.device(), from - 1)
                .flatMap(Rows.Candidate::seq)
                .orElse(0L);
    int[] attempts = {0};
    Optional<String> failure = Optional.empty();
    Optional<List<Rows.Candidate>> match = search(c, d, from, cp, slots, prevSeq, attempts);
    if (match.isEmpty()) {
      count.accept(attempts[0] >= MAX_ATTEMPTS ? "bind.ambiguous" : "bind.root_mismatch");
      return false;
    }
    List<SignedEntry> parsed = new ArrayList<>(match.get().size()); // each entry decoded once
    for (Rows.Candidate p : match.get()) {
      parsed.add(p.lost() ? null : parse(p));
    }
    failure = checkKeysAndLosses(c, d, match.get(), parsed);
    if (failure.isPresent()) {
      count.accept("bind.refused");
      store.insertEvidence(
          c,
          d.fleet(),
          d.device(),
          null,
          "unbound",
          "checkpoint " + cp.size() + " covers entries the ledger refuses: " + failure.get(),
          null,
          null,
          clock.millis());
      return false;
    }
    apply(c, d, from, cp, match.get(), parsed, all);
    for (Rows.Candidate p : match.get()) {
      if (!p.lost()) {
        facts.bound(p.idx(), p.leaf());
      }
    }
    return true;
  }

  /**
   * Finds one candidate per slot, in order, with rising seqs, no leaf twice, whose tree has the
   * checkpoint's root; backtracks over slots with several candidates, at most {@link #MAX_ATTEMPTS}
   * complete tries. Iterative: a checkpoint may bind thousands of entries at once, and one stack
   * frame per entry overflowed the MQTT callback thread's stack.
   */
  private Optional<List<Rows.Candidate>> search(
      Connection c,
      Rows.Device d,
      long from,
      Rows.Checkpoint cp,
      List<List<Rows.Candidate>> slots,
      long firstPrevSeq,
      int[] attempts) {
    int n = slots.size();
    int[] next = new int[n + 1]; // the next candidate to try in each slot
    long[] prevSeq = new long[n + 1]; // the seq before each slot, given the choices so far
    prevSeq[0] = firstPrevSeq;
    List<Rows.Candidate> chosen = new ArrayList<>(n);
    Set<Hash> used = new HashSet<>();
    int at = 0;
    while (at >= 0) {
      if (attempts[0] >= MAX_ATTEMPTS) {
        return Optional.empty();
      }
      if (at == n) {
        attempts[0]++;
        DbTree tree = new DbTree(store, c, d.fleet(), d.device(), from);
        for (Rows.Candidate p : chosen) {
          tree.append(p.leaf());
        }
        if (tree.root().equals(cp.root())) {
          return Optional.of(List.copyOf(chosen));
        }
        at = backtrack(at, chosen, used);
        continue;
      }
      Rows.Candidate pick = null;
      List<Rows.Candidate> options = slots.get(at);
      while (pick == null && next[at] < options.size()) {
        Rows.Candidate p = options.get(next[at]++);
        boolean seqFalls = p.seq().isPresent() && p.seq().get() <= prevSeq[at];
        if (!used.contains(p.leaf()) && !seqFalls) {
          pick = p;
        }
      }
      if (pick == null) {
        next[at] = 0;
        at = backtrack(at, chosen, used);
        continue;
      }
      used.add(pick.leaf());
      chosen.add(pick);
      prevSeq[at + 1] = pick.seq().orElse(prevSeq[at]);
      at++;
    }
    return Optional.empty();
  }

  /** Undoes the choice made in the slot before {@code at}; returns that slot (-1: none left). */
  private static int backtrack(int at, List<Rows.Candidate> chosen, Set<Hash> used) {
    int back = at - 1;
    if (back >= 0) {
      used.remove(chosen.remove(chosen.size() - 1).leaf());
    }
    return back;
  }

  /** {@code parsed} holds each of {@code run}'s entries decoded (null for a lost placeholder). */
  private Optional<String> checkKeysAndLosses(
      Connection c, Rows.Device d, List<Rows.Candidate> run, List<SignedEntry> parsed)
      throws SQLException {
    EntryKeys learned = EntryKeys.of();
    List<PublicKey> learnedKeys = new ArrayList<>();
    List<LossBody> losses = new ArrayList<>();
    for (Rows.Candidate k : store.boundOfKind(c, d.fleet(), d.device(), "key")) {
      apply(parse(k), learned, learnedKeys);
    }
    for (Rows.Candidate l : store.boundOfKind(c, d.fleet(), d.device(), "loss")) {
      if (parse(l).entry().body() instanceof LossBody lb) {
        losses.add(lb);
      }
    }
    List<Long> lost = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      Rows.Candidate p = run.get(i);
      if (p.lost()) {
        lost.add(p.idx());
        continue;
      }
      SignedEntry e = parsed.get(i);
      Kid kid = e.cose().kid();
      if (learned.isRevoked(kid)) {
        return Optional.of("entry " + p.idx() + ": kid " + kid.value().toHex() + " was revoked");
      }
      Optional<PublicKey> key = registry.key(d.fleet(), d.device(), kid);
      if (key.isEmpty()) {
        key = learnedKeys.stream().filter(x -> Kid.of(x).equals(kid)).findFirst();
      }
      if (key.isEmpty()) {
        return Optional.of(
            "entry " + p.idx() + ": kid " + kid.value().toHex() + " is not trusted at this index");
      }
      if (!p.verified()) {
        try {
          e.cose().verify(key.get());
        } catch (RuntimeException ex) {
          return Optional.of("entry " + p.idx() + ": " + ex.getMessage());
        }
      }
      apply(e, learned, learnedKeys);
      if (e.entry().body() instanceof LossBody lb) {
        losses.add(lb);
      }
    }
    for (long i : lost) {
      if (losses.stream().noneMatch(lb -> covers(lb, i))) {
        return Optional.of("lost placeholder at " + i + " without a signed loss entry naming it");
      }
    }
    return Optional.empty();
  }

  private static boolean covers(LossBody lb, long i) {
    if (lb.firstIndex().isEmpty() || lb.firstIndex().getAsLong() > i) {
      return false;
    }
    return lb.lastIndex().isEmpty() || i <= lb.lastIndex().getAsLong();
  }

  private static void apply(SignedEntry e, EntryKeys learned, List<PublicKey> learnedKeys) {
    if (e.entry().body() instanceof KeyBody kb && kb.action() != KeyAction.REVOKE) {
      learnedKeys.add(PublicKeys.fromSpki(kb.publicKey()));
    }
    e.applyTo(learned);
  }

  private static SignedEntry parse(Rows.Candidate p) {
    try {
      return SignedEntry.parse(p.idx(), p.cose().orElseThrow());
    } catch (SignedEntry.MalformedEntryException ex) {
      throw new IllegalStateException("stored entry " + p.idx() + ": " + ex.getMessage(), ex);
    }
  }

  private void apply(
      Connection c,
      Rows.Device d,
      long from,
      Rows.Checkpoint cp,
      List<Rows.Candidate> run,
      List<SignedEntry> parsed,
      List<Rows.Candidate> all)
      throws SQLException {
    long now = clock.millis();
    DbTree tree = new DbTree(store, c, d.fleet(), d.device(), from);
    Set<String> chosen = new HashSet<>();
    List<CollectionRow> rows = new ArrayList<>();
    boolean keys = false;
    for (int i = 0; i < run.size(); i++) {
      Rows.Candidate p = run.get(i);
      chosen.add(p.idx() + "/" + p.leaf().toHex() + "/" + p.kind());
      tree.append(p.leaf());
      if (!p.lost()) {
        SignedEntry e = parsed.get(i);
        CollectionRow.of(d.fleet(), d.device(), p.idx(), e.entry()).ifPresent(rows::add);
        if (e.entry().body() instanceof KeyBody kb) {
          keys = true;
          String kid = kb.kid().value().toHex();
          if (kb.action() == KeyAction.REVOKE) {
            store.revokeKey(c, d.fleet(), d.device(), kid, p.idx() + 1);
          } else {
            store.insertKey(
                c, d.fleet(), d.device(), kid, kb.publicKey(), "key-entry", p.idx() + 1);
          }
        }
      }
      count.accept(p.lost() ? "lost.bound" : "entry.bound");
    }
    for (Rows.Candidate p : all) {
      if (!chosen.contains(p.idx() + "/" + p.leaf().toHex() + "/" + p.kind())) {
        count.accept("entry.unbound");
        store.deletePending(c, d.fleet(), d.device(), p);
        store.insertEvidence(
            c,
            d.fleet(),
            d.device(),
            p.idx(),
            "unbound",
            "candidate at index "
                + p.idx()
                + " is not the entry the device's checkpoint "
                + cp.size()
                + " binds there",
            null,
            p.cose().orElse(p.leaf().toBytes()),
            now);
      }
    }
    // what is left pending in the run is what the device's checkpoint binds: copied in the database
    int bound = store.bindPending(c, d.fleet(), d.device(), from, cp.size(), now, cp.size());
    if (bound != run.size()) {
      throw new SQLException(
          "binding " + run.size() + " entries of " + d.device() + " copied " + bound + " rows");
    }
    store.insertCollections(c, rows);
    tree.flush();
    store.deletePendingBelow(c, d.fleet(), d.device(), cp.size());
    store.setConfirmed(c, d.fleet(), d.device(), cp.size());
    if (keys) {
      keysBound.accept(d.fleet() + "/" + d.device());
    }
  }
}
