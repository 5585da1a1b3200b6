package io.haulproof.ledger.sim;

import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fills a ledger with a real history fast, for benchmarks (a ledger that holds 10M entries) and
 * tests: each device joins with its certificate chain, signs its synthetic lifts ({@link
 * SyntheticLifts}) and hands them to the ledger in batches ({@link Ledger#acceptEntries}), each
 * batch followed by a device-signed checkpoint, proven consistent with the last one, that the
 * ledger checks, cosigns and binds ({@link Ledger#acceptCheckpoint}). Nothing is written past the
 * ledger's own code, so the result is what trucks publishing over MQTT would have left, without the
 * broker.
 */
public final class LedgerFill {
  /** A device to fill: its signing key and its certificate chain (leaf first). */
  public record Device(DeviceKey key, List<X509Certificate> chain) {}

  /**
   * How to fill.
   *
   * @param entriesPerDevice entries each device signs
   * @param checkpointEvery entries per batch, each batch closed by a cosigned checkpoint (at most
   *     the ledger's bound on a device's unbound candidates, 4,096 by default)
   * @param seed seed of the synthetic lifts (device {@code i} uses {@code seed * 1,000,003 + i})
   * @param firstLiftMillis time of the first lifts; device {@code i} starts {@code i mod 28} days
   *     later, one lift about every 40 s, so that a month holds every device's lifts
   * @param threads devices filled at once
   */
  public record Settings(
      int entriesPerDevice, int checkpointEvery, long seed, long firstLiftMillis, int threads) {
    public Settings {
      if (entriesPerDevice < 1 || checkpointEvery < 1 || threads < 1) {
        throw new IllegalArgumentException(
            "entries "
                + entriesPerDevice
                + ", checkpoint every "
                + checkpointEvery
                + ", threads "
                + threads
                + ": each must be >= 1");
      }
    }
  }

  /** What was filled: entries bound and checkpoints cosigned, counted from the receipts. */
  public record Summary(int devices, long entries, long checkpoints, double seconds) {}

  private static final long DAY = 86_400_000L;

  private final Ledger ledger;
  private final Settings settings;
  private final Consumer<String> progress;
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong checkpoints = new AtomicLong();
  private final AtomicLong devicesDone = new AtomicLong();

  public LedgerFill(Ledger ledger, Settings settings, Consumer<String> progress) {
    this.ledger = ledger;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Fills every device, {@link Settings#threads} at once.
   *
   * @throws IOException if the ledger refuses an entry or a checkpoint (the message says which and
   *     why) or the database fails
   */
  public Summary fill(List<Device> devices) throws IOException, InterruptedException {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < devices.size(); i++) {
        int n = i;
        all.add(
            pool.submit(
                () -> {
                  fillOne(n, devices.get(n));
                  report(devices.size(), start);
                  return null;
                }));
      }
      for (Future<?> f : all) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          pool.shutdownNow();
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException(e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Summary(
        devices.size(), entries.get(), checkpoints.get(), (System.nanoTime() - start) / 1e9);
  }

  private void report(int total, long start) {
    long done = devicesDone.incrementAndGet();
    if (done % Math.max(1, total / 50) == 0 || done == total) {
      double s = (System.nanoTime() - start) / 1e9;
      progress.accept(
          String.format(
              java.util.Locale.ROOT,
              "ledger fill: %d/%d devices, %d entries bound, %.0f s, %.0f entries/s",
              done,
              total,
              entries.get(),
              s,
              entries.get() / Math.max(s, 1e-3)));
    }
  }

  private void fillOne(int n, Device d) throws IOException {
    DeviceRegistry.Member m;
    try {
      m = ledger.registry().join(d.chain());
    } catch (GeneralSecurityException e) {
      throw new IOException("device " + n + " cannot join: " + e.getMessage(), e);
    }
    Topics t = new Topics(m.fleet(), m.device());
    SyntheticLifts lifts =
        new SyntheticLifts(
            m.device(),
            settings.seed() * 1_000_003L + n,
            settings.firstLiftMillis() + (n % 28) * DAY,
            1);
    MerkleTree tree = MerkleTree.inMemory();
    CheckpointSigner signer = new CheckpointSigner(d.key());
    String origin = Checkpoint.originFor(m.fleet(), m.device());
    long cosigned = 0;
    while (cosigned < settings.entriesPerDevice()) {
      long size = Math.min(settings.entriesPerDevice(), cosigned + settings.checkpointEvery());
      List<Ledger.Received> batch = new ArrayList<>();
      for (long i = cosigned; i < size; i++) {
        Bytes cose = EntryCodec.sign(d.key(), lifts.next()).encoded();
        tree.append(Rfc9162.leafHash(cose));
        batch.add(new Ledger.Received(Long.toString(i), cose));
      }
      List<Ledger.Accepted> got = ledger.acceptEntries(t, batch);
      for (int i = 0; i < got.size(); i++) {
        if (got.get(i).refused().isPresent()) {
          throw new IOException(
              "entry " + (cosigned + i) + " of " + m.device() + ": " + got.get(i).refused().get());
        }
      }
      String note = signer.sign(new Checkpoint(origin, size, tree.root(size))).encode();
      Bytes msg =
          new CheckpointMessage(
                  note, cosigned, cosigned == 0 ? List.of() : tree.consistencyProof(cosigned, size))
              .encode();
      ReceiptMessage r = ledger.acceptCheckpoint(t, msg);
      if (!(r instanceof ReceiptMessage.Cosigned c) || c.entriesStored() != size) {
        throw new IOException(
            "checkpoint " + size + " of " + m.device() + " not cosigned with every entry: " + r);
      }
      entries.addAndGet(size - cosigned);
      checkpoints.incrementAndGet();
      cosigned = size;
    }
  }
}
