package io.haulproof.ledger.bench;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark (not a test): what an entry's ES256 check costs the ledger, in CPU time of the one
 * thread that does the work (the machine is shared, so wall time says little). Compares one key
 * verified hot (the raw rate of {@code bench fleet}), many keys each verified a few times as a
 * fleet's trucks send them (every key starts cold), the same keys once warm, device certificates
 * checked against the fleet root (the JDK's verify, and the registry's join), and the ledger's
 * whole entry path ({@link Ledger#acceptEntries} and {@link Ledger#acceptCheckpoint} on SQLite) for
 * {@code trucks} trucks of {@code entries} entries with a checkpoint every {@code every}, each
 * batch sent twice (the second time a resend, all duplicates). Run with {@code java -cp …
 * EntryVerifyBench [trucks] [entries] [every]}.
 */
public final class EntryVerifyBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private EntryVerifyBench() {}

  public static void main(String[] args) throws Exception {
    int trucks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int every = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path dir = Files.createTempDirectory("hp-entry-verify-bench");
    TestPki pki = TestPki.create(dir.resolve("pki"), "Fleet CA");
    System.out.printf("signing %d trucks x %d entries (twice: a warm-up fleet)%n", trucks, entries);
    List<TruckLog> warm = fleet(pki, "w", trucks, entries);
    List<TruckLog> fleet = fleet(pki, "t", trucks, entries);

    // one key hot: what bench fleet's raw rate measures
    CoseSign1 one = CoseSign1.decode(fleet.get(0).entry(0));
    SignatureVerifier hot = SignatureVerifier.of(fleet.get(0).key().publicKey());
    perVerify(20_000, () -> one.verify(hot)); // warm-up
    double hotUs = perVerify(20_000, () -> one.verify(hot));
    System.out.printf("one key hot:                        %6.1f us CPU per verification%n", hotUs);

    // every key fresh, used `entries` times in rounds (as a fleet's entries interleave)
    coldRounds(warm, entries); // warm-up of the JIT on other keys
    double[] byUse = new double[entries];
    List<SignatureVerifier> vs = new ArrayList<>();
    double coldUs = coldRounds(fleet, entries, byUse, vs);
    System.out.printf(
        "%d keys, fresh verifiers, %d uses:  %6.1f us CPU per verification%n",
        trucks, entries, coldUs);
    StringBuilder uses = new StringBuilder();
    for (int u = 0; u < Math.min(entries, 8); u++) {
      uses.append(String.format(" #%d %.0f", u + 1, byUse[u]));
    }
    System.out.println("  by use of a key (us):" + uses);
    // the same keys once warm: only cache effects of many keys remain
    List<CoseSign1> firsts = new ArrayList<>();
    for (TruckLog t : fleet) {
      firsts.add(CoseSign1.decode(t.entry(entries - 1)));
    }
    int[] k = {0};
    double warmUs =
        perVerify(
            trucks * 10,
            () -> {
              int i = k[0]++ % trucks;
              firsts.get(i).verify(vs.get(i));
            });
    System.out.printf(
        "%d keys warm, round-robin:          %6.1f us CPU per verification%n", trucks, warmUs);

    // device certificates against the fleet root: the JDK's verify, and the registry's join
    java.security.PublicKey ca = pki.caCertificate().getPublicKey();
    for (TruckLog t : warm) {
      t.certificate().verify(ca); // warm-up
    }
    int[] c = {0};
    double jdkUs =
        perVerify(
            trucks,
            () -> {
              try {
                fleet.get(c[0]++).certificate().verify(ca);
              } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
    System.out.printf("device certificate, JDK verify:     %6.1f us CPU per certificate%n", jdkUs);
    DeviceRegistry warmRegistry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    for (TruckLog t : warm) {
      warmRegistry.add(t.certificate()); // warm-up
    }
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    c[0] = 0;
    double joinUs =
        perVerify(
            trucks,
            () -> {
              try {
                registry.add(fleet.get(c[0]++).certificate());
              } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
    System.out.printf("device certificate, registry join:  %6.1f us CPU per device%n", joinUs);

    // the ledger's path, on SQLite, this thread only
    ledgerPath(dir.resolve("warm-ledger"), pki, warm, entries, every);
    double[] path = ledgerPath(dir.resolve("ledger"), pki, fleet, entries, every);
    System.out.printf(
        "ledger path:                        %6.1f us CPU per entry = %.1f hot verifications%n",
        path[0], path[0] / hotUs);
    System.out.printf(
        "  a resend of a held entry:         %6.1f us CPU per entry = %.1f hot verifications%n",
        path[1], path[1] / hotUs);
    // hot again at the end, with the JIT settled: the lower of the two is the better estimate
    System.out.printf(
        "one key hot, again:                 %6.1f us CPU per verification%n",
        perVerify(20_000, () -> one.verify(hot)));
  }

  private static List<TruckLog> fleet(TestPki pki, String prefix, int trucks, int entries) {
    List<TruckLog> out = new ArrayList<>(trucks);
    for (int i = 0; i < trucks; i++) {
      TruckLog t = new TruckLog(pki, "fleet-a", prefix + "truck-" + i, i + 1L, 1_700_000_000_000L);
      t.lifts(entries);
      out.add(t);
    }
    return out;
  }

  private static double coldRounds(List<TruckLog> fleet, int uses) {
    return coldRounds(fleet, uses, new double[uses], new ArrayList<>());
  }

  /** Each truck's key, fresh, verifies entry u of every truck in round u. */
  private static double coldRounds(
      List<TruckLog> fleet, int uses, double[] byUse, List<SignatureVerifier> verifiers) {
    List<List<CoseSign1>> msgs = new ArrayList<>();
    for (TruckLog t : fleet) {
      List<CoseSign1> m = new ArrayList<>();
      for (int u = 0; u < uses; u++) {
        m.add(CoseSign1.decode(t.entry(u)));
      }
      msgs.add(m);
      verifiers.add(SignatureVerifier.of(t.key().publicKey()));
    }
    long total = 0;
    for (int u = 0; u < uses; u++) {
      long start = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < fleet.size(); i++) {
        msgs.get(i).get(u).verify(verifiers.get(i));
      }
      long ns = CPU.getCurrentThreadCpuTime() - start;
      byUse[u] = ns / 1e3 / fleet.size();
      total += ns;
    }
    return total / 1e3 / ((double) fleet.size() * uses);
  }

  private static double perVerify(int n, Runnable verify) {
    long start = CPU.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      verify.run();
    }
    return (CPU.getCurrentThreadCpuTime() - start) / 1e3 / n;
  }

  /**
   * Feeds the fleet through a fresh ledger as the lanes do: per round, each truck's next {@code
   * every} entries in one batch, the same batch again (a truck's resend, all duplicates), then its
   * checkpoint. Returns this thread's CPU per entry without the resends, and per resent entry.
   */
  private static double[] ledgerPath(
      Path dir, TestPki pki, List<TruckLog> fleet, int entries, int every) throws Exception {
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    for (TruckLog t : fleet) {
      registry.add(t.certificate());
    }
    long cpu;
    long resent = 0;
    try (Ledger ledger = TestLedgers.sqlite(dir, registry, Clock.systemUTC())) {
      long start = CPU.getCurrentThreadCpuTime();
      for (int from = 0; from < entries; from += every) {
        int to = Math.min(entries, from + every);
        for (TruckLog t : fleet) {
          Topics topics = new Topics(t.fleet(), t.device());
          List<Ledger.Received> batch = new ArrayList<>();
          for (int i = from; i < to; i++) {
            batch.add(new Ledger.Received(Integer.toString(i), t.entry(i)));
          }
          for (Ledger.Accepted a : ledger.acceptEntries(topics, batch)) {
            a.orThrow();
          }
          long r0 = CPU.getCurrentThreadCpuTime();
          for (Ledger.Accepted a : ledger.acceptEntries(topics, batch)) {
            if (a.orThrow() != DeviceLedger.Outcome.DUPLICATE) {
              throw new IllegalStateException(t.device() + " resend: " + a);
            }
          }
          resent += CPU.getCurrentThreadCpuTime() - r0;
          Bytes msg = new CheckpointMessage(t.note(to), from, t.consistency(from, to)).encode();
          ReceiptMessage r = ledger.acceptCheckpoint(topics, msg);
          if (!(r instanceof ReceiptMessage.Cosigned)) {
            throw new IllegalStateException(t.device() + " checkpoint " + to + ": " + r);
          }
        }
      }
      cpu = CPU.getCurrentThreadCpuTime() - start - resent;
      long bound = ledger.counters().getOrDefault("entry.bound", 0L);
      if (bound != (long) fleet.size() * entries) {
        throw new IllegalStateException("bound " + bound + ", want " + fleet.size() * entries);
      }
    }
    double n = (double) fleet.size() * entries;
    return new double[] {cpu / 1e3 / n, resent / 1e3 / n};
  }
}
