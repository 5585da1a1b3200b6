package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ContainerRead;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.FixMode;
import io.haulproof.lightchain.entry.Instrument;
import io.haulproof.lightchain.entry.Lifter;
import io.haulproof.lightchain.entry.Operation;
import io.haulproof.lightchain.entry.Outcome;
import io.haulproof.lightchain.entry.Position;
import io.haulproof.lightchain.entry.Service;
import io.haulproof.lightchain.entry.TagTechnology;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.entry.Weighing;
import io.haulproof.lightchain.entry.WeightUnit;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof bench ingest}: synthetic signed collection entries through the real {@link
 * EvidenceLog}, as fast as durable group commit allows, with the raw Bouncy Castle ES256 signing
 * rate measured in the same run.
 */
@Command(
    name = "bench",
    description = "Benchmarks.",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchCommand.Ingest.class,
      BenchHistory.class,
      BenchFleet.class,
      BenchLedgerFill.class,
      BenchPoahCommand.class,
      BenchPoahCheckCommand.class
    })
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof bench: missing subcommand (ingest)");
    return Main.EXIT_USAGE;
  }

  /** A realistic collection event that varies with {@code i}. */
  static CollectionBody syntheticCollection(long i) {
    return syntheticCollection(i, i);
  }

  /** Lift {@code i} of the bin numbered {@code bin} (its tag is derived from the number). */
  static CollectionBody syntheticCollection(long i, long bin) {
    return new CollectionBody(
        Optional.of(
            new ContainerRead(
                Bytes.wrap(
                    new byte[] {
                      (byte) 0x80,
                      0,
                      (byte) (bin >> 24),
                      (byte) (bin >> 16),
                      (byte) (bin >> 8),
                      (byte) bin,
                      0x0d,
                      0x41
                    }),
                TagTechnology.FDX_B,
                OptionalInt.of(900),
                OptionalLong.of(250000000000L + bin),
                3,
                OptionalInt.of(-58),
                OptionalInt.of(1))),
        Optional.of(
            Position.ofDegrees(48.1173 + (i % 1000) * 1e-5, 11.516667, 0.9, FixMode.FIX_3D, 8)),
        new Operation("M-HP-4211", Lifter.LEFT, Optional.of("R-17-TUE"), Optional.of("C-3")),
        Optional.of(new Service("residual", 240)),
        Optional.of(
            new Weighing(
                WeightUnit.KG,
                1,
                400 + (int) (i % 600),
                127,
                5,
                100,
                5000,
                true,
                false,
                false,
                false)),
        Optional.of(new Instrument("SN-88123", OptionalLong.of(41))),
        Outcome.EMPTIED,
        Optional.empty(),
        Optional.empty(),
        Set.of());
  }

  /** {@code bench ingest --data-dir DIR --events N [--acked FILE]}. */
  @Command(
      name = "ingest",
      description = "Ingest N synthetic signed entries with durable group commit.")
  static final class Ingest implements Callable<Integer> {
    @Option(
        names = "--data-dir",
        required = true,
        description = "data directory (appended to if it exists)")
    Path dataDir;

    @Option(names = "--events", required = true, description = "number of entries to append")
    long events;

    @Option(
        names = "--acked",
        description = "after each durable group commit, append the highest committed seq")
    Path acked;

    @Option(
        names = "--threads",
        defaultValue = "4",
        description = "producer threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(
        names = {"--device", "--device-id"},
        defaultValue = "bench-0001",
        description = "device id (default ${DEFAULT-VALUE}); --device-id is a deprecated alias")
    String deviceId;

    @Option(
        names = "--sign-sample",
        defaultValue = "3000",
        description = "signatures for the raw signing rate")
    int signSample;

    @Override
    public Integer call() throws Exception {
      if (events < 0 || threads < 1 || signSample < 1) {
        System.err.println(
            "haulproof bench: --events must be >= 0, --threads and --sign-sample >= 1");
        return Main.EXIT_USAGE;
      }
      Files.createDirectories(dataDir);
      DeviceKey key = FileKeyStore.openOrCreate(dataDir);
      double raw1 = rawSigningRate(key, 1);
      double rawN = rawSigningRate(key, threads);
      OutputStream ackOut = acked == null ? null : new FileOutputStream(acked.toFile(), true);
      long start;
      long end;
      try (EvidenceLog log = EvidenceLog.open(dataDir, key, deviceId, LogOptions.defaults())) {
        if (ackOut != null) {
          log.addCommitListener(
              size -> {
                try {
                  ackOut.write((log.lastCommittedSeq() + "\n").getBytes(StandardCharsets.US_ASCII));
                  ackOut.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
        }
        start = System.nanoTime();
        ingest(log);
        end = System.nanoTime();
      } finally {
        if (ackOut != null) {
          ackOut.close();
        }
      }
      // Measured again once everything is compiled; the ratio uses the higher figure, so it is not
      // flattered by a
      // cold JIT during the first measurement.
      double rawAfter = rawSigningRate(key, threads);
      double seconds = (end - start) / 1e9;
      double rate = seconds > 0 ? events / seconds : 0;
      ObjectNode sign = JsonLines.object();
      sign.put("raw_sign_per_s_1_thread", Math.round(raw1));
      sign.put("raw_sign_per_s_before", Math.round(rawN));
      sign.put("raw_sign_per_s_after", Math.round(rawAfter));
      rawN = Math.max(rawN, rawAfter);
      sign.put("raw_sign_per_s", Math.round(rawN));
      sign.put("threads", threads);
      sign.put("ingest_to_raw_sign_ratio", rawN > 0 ? Math.round(rate / rawN * 1000) / 1000.0 : 0);
      JsonLines.print(sign);
      ObjectNode last = JsonLines.object();
      last.put("events", events);
      last.put("seconds", Math.round(seconds * 1000) / 1000.0);
      last.put("events_per_s", Math.round(rate));
      JsonLines.print(last);
      return 0;
    }

    private void ingest(EvidenceLog log) throws Exception {
      AtomicLong next = new AtomicLong();
      Semaphore inFlight = new Semaphore(16_384);
      List<Thread> producers = new ArrayList<>();
      List<Throwable> errors = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  List<CompletableFuture<Appended>> mine = new ArrayList<>();
                  try {
                    for (long i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                      inFlight.acquire();
                      CompletableFuture<Appended> f = log.append(syntheticCollection(i));
                      f.whenComplete((a, e) -> inFlight.release());
                      mine.add(f);
                      if (mine.size() >= 4096) {
                        for (CompletableFuture<Appended> m : mine) {
                          m.get();
                        }
                        mine.clear();
                      }
                    }
                    for (CompletableFuture<Appended> m : mine) {
                      m.get();
                    }
                  } catch (Exception e) {
                    synchronized (errors) {
                      errors.add(e);
                    }
                  }
                },
                "bench-producer-" + t);
        producers.add(th);
        th.start();
      }
      for (Thread th : producers) {
        th.join();
      }
      if (!errors.isEmpty()) {
        throw new IllegalStateException(
            "ingest failed: " + errors.get(0).getMessage(), errors.get(0));
      }
    }

    /**
     * Signs a realistic entry payload {@code signSample} times per thread; returns signatures per
     * second.
     */
    private double rawSigningRate(DeviceKey key, int nThreads) throws InterruptedException {
      Bytes payload =
          EntryCodec.encode(
              new Entry(
                  new EntryHeader(
                      deviceId, 1, 1, System.currentTimeMillis(), TimeSource.UNKNOWN, 60_000, 1),
                  syntheticCollection(1)));
      for (int i = 0; i < Math.min(500, signSample); i++) {
        CoseSign1.sign(key, payload); // warm-up
      }
      List<Thread> ts = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < nThreads; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < signSample; i++) {
                    CoseSign1.sign(key, payload);
                  }
                });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      return (double) signSample * nThreads / s;
    }
  }
}
