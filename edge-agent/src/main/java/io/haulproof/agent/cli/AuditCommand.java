package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.audit.AuditReport;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.BundleVerifier;
import io.haulproof.ledger.audit.DisputeBundle;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haulproof audit verify BUNDLE --fleet-root PEM --witness-key PEM}: checks a dispute bundle
 * offline (docs/ledger.md, "Checking a bundle").
 *
 * <p>Prints one plain-words line per finding ({@code holds: …} / {@code FAILS: …} / {@code note:
 * …}) and, as the last line, {@code {"valid":…,"logs":L,"entries":E,"checkpoints":C,"failures":F}}.
 * Exit 0 only if every check holds, 1 if one fails, 2 if the bundle or a trust anchor cannot be
 * read.
 */
@Command(
    name = "audit",
    description = "Auditor tools.",
    mixinStandardHelpOptions = true,
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("haulproof audit: missing subcommand (verify)");
    return Main.EXIT_USAGE;
  }

  /** {@code audit verify}. */
  @Command(
      name = "verify",
      description = "Check a dispute bundle offline against the fleet root and the witness key.",
      mixinStandardHelpOptions = true)
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The dispute bundle file")
    Path bundle;

    @Option(
        names = "--fleet-root",
        required = true,
        paramLabel = "PEM",
        description = "The fleet root CA certificate")
    Path fleetRoot;

    @Option(
        names = "--witness-key",
        required = true,
        paramLabel = "PEM",
        description = "The witness's public key (witness.pub.pem)")
    Path witnessKey;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      X509Certificate root;
      PublicKey witness;
      DisputeBundle b;
      try {
        List<X509Certificate> roots = TlsContexts.readCertificates(fleetRoot);
        if (roots.size() != 1) {
          throw new IOException(fleetRoot + " holds " + roots.size() + " certificates, want 1");
        }
        root = roots.get(0);
        witness = PublicKeys.fromPem(Files.readString(witnessKey, StandardCharsets.US_ASCII));
        b = BundleCodec.decode(read(bundle));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        err.println("haulproof audit verify: cannot read input: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
      AuditReport r = new BundleVerifier(root, witness).verify(b);
      for (AuditReport.Finding f : r.findings()) {
        out.println((f.holds() ? "holds: " : "FAILS: ") + f.text());
      }
      for (String n : r.notes()) {
        out.println("note: " + n);
      }
      ObjectNode last = JsonLines.object();
      last.put("valid", r.valid());
      last.put("bin", b.bin());
      last.put("logs", b.logs().size());
      last.put("entries", b.entryCount());
      last.put("checkpoints", b.logs().stream().mapToInt(l -> l.checkpoints().size()).sum());
      last.put("failures", r.failures().size());
      out.println(last.toString());
      out.flush();
      if (!r.valid()) {
        err.println(
            "haulproof audit verify: "
                + r.failures().size()
                + " check(s) failed; first: "
                + (r.failures().isEmpty()
                    ? "the bundle holds nothing"
                    : r.failures().get(0).text()));
        return Main.EXIT_CHECK_FAILED;
      }
      return 0;
    }

    private static byte[] read(Path p) throws IOException {
      try (InputStream in = Files.newInputStream(p)) {
        byte[] b = in.readNBytes(BundleCodec.MAX_BYTES + 1);
        if (b.length > BundleCodec.MAX_BYTES) {
          throw new IOException(p + " is over " + BundleCodec.MAX_BYTES + " bytes");
        }
        return b;
      }
    }
  }
}
