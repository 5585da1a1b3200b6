package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.SampleEntries;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Random;

/**
 * Single-thread signing and verification rates, Bouncy Castle lightweight versus the JDK's SunEC
 * (not a test).
 *
 * <p>Run with the test classpath plus bcprov and bcutil; the exact command is in
 * bench/lc-crypto.md. Each case warms up for 3 s, then counts operations for 6 s. Besides the
 * wall-clock rate it reports operations per CPU-second of the benchmark thread, which stays
 * meaningful when other processes share the cores.
 */
public final class CryptoBench {
  private interface Op {
    void run(int i) throws Exception;
  }

  private static volatile Object sink;

  private CryptoBench() {}

  private static double rate(String name, Op op) throws Exception {
    long end = System.nanoTime() + 3_000_000_000L;
    int i = 0;
    while (System.nanoTime() < end) {
      op.run(i++);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    end = start + 6_000_000_000L;
    long n = 0;
    while (System.nanoTime() < end) {
      op.run((int) n++);
    }
    double wall = n / ((System.nanoTime() - start) / 1e9);
    double perCpuSecond = n / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
    System.out.printf(
        "%-40s %10.0f ops/s wall %10.0f ops per CPU-second%n", name, wall, perCpuSecond);
    return perCpuSecond;
  }

  public static void main(String[] args) throws Exception {
    Random random = new Random(1);
    Bytes[] msgs = new Bytes[256];
    for (int i = 0; i < msgs.length; i++) {
      byte[] b = new byte[200];
      random.nextBytes(b);
      msgs[i] = Bytes.wrap(b);
    }

    SoftwareDeviceKey bc = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    SignatureVerifier bcVerifier = SignatureVerifier.of(bc.publicKey());
    Bytes[] bcSigs = new Bytes[msgs.length];
    for (int i = 0; i < msgs.length; i++) {
      bcSigs[i] = bc.sign(msgs[i]);
    }
    double bcSign =
        rate("ES256 sign, Bouncy Castle (RFC 6979)", i -> sink = bc.sign(msgs[i & 255]));
    double bcVerify =
        rate("ES256 verify, Bouncy Castle", i -> bcVerifier.verify(msgs[i & 255], bcSigs[i & 255]));

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[][] jdkSigs = new byte[msgs.length][];
    for (int i = 0; i < msgs.length; i++) {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(kp.getPrivate());
      s.update(msgs[i].toByteArray());
      jdkSigs[i] = s.sign();
    }
    double jdkSign =
        rate(
            "ES256 sign, JDK SunEC",
            i -> {
              Signature s = Signature.getInstance("SHA256withECDSA");
              s.initSign(kp.getPrivate());
              s.update(msgs[i & 255].toByteArray());
              sink = s.sign();
            });
    double jdkVerify =
        rate(
            "ES256 verify, JDK SunEC",
            i -> {
              Signature s = Signature.getInstance("SHA256withECDSA");
              s.initVerify(kp.getPublic());
              s.update(msgs[i & 255].toByteArray());
              if (!s.verify(jdkSigs[i & 255])) {
                throw new IllegalStateException("JDK verify failed");
              }
            });

    SoftwareDeviceKey ed = SoftwareDeviceKey.generate(CoseAlgorithm.EDDSA);
    SignatureVerifier edVerifier = SignatureVerifier.of(ed.publicKey());
    Bytes[] edSigs = new Bytes[msgs.length];
    for (int i = 0; i < msgs.length; i++) {
      edSigs[i] = ed.sign(msgs[i]);
    }
    rate("Ed25519 sign, Bouncy Castle", i -> sink = ed.sign(msgs[i & 255]));
    rate("Ed25519 verify, Bouncy Castle", i -> edVerifier.verify(msgs[i & 255], edSigs[i & 255]));

    Entry[] entries = new Entry[256];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new Entry(SampleEntries.header(i + 1), SampleEntries.collection());
    }
    Bytes[] coses = new Bytes[entries.length];
    for (int i = 0; i < entries.length; i++) {
      coses[i] = EntryCodec.sign(bc, entries[i]).encoded();
    }
    rate("collection entry encode + COSE sign", i -> sink = EntryCodec.sign(bc, entries[i & 255]));
    rate(
        "COSE decode + verify + entry decode",
        i -> {
          CoseSign1 c = CoseSign1.decode(coses[i & 255]);
          c.verify(bcVerifier);
          sink = EntryCodec.decode(c);
        });
    rate("entry encode only (CBOR)", i -> sink = EntryCodec.encode(entries[i & 255]));

    System.out.printf(
        "BC/JDK ratio: sign %.1fx, verify %.1fx%n", bcSign / jdkSign, bcVerify / jdkVerify);
  }
}
