package io.haulproof.ledger.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The dispute bundle of a bin and period written straight from the ledger's storage to a stream:
 * the same bytes as {@link BundleBuilder} then {@link BundleCodec#write} (docs/ledger.md, "Dispute
 * bundle"), without the bundle in memory.
 *
 * <p>{@link #plan} reads, before anything is written, which devices lifted the bin, each one's
 * latest cosigned checkpoint and how many of its lifts that checkpoint covers (so the caller can
 * give the counts in headers). {@link #write} then reads the lifts {@value #PAGE} indexes at a time
 * and each entry's bytes and proof as it writes them: memory stays bounded by a page, whatever the
 * bundle's size. The checkpoints are fixed by the plan, so lifts bound while the bundle is written
 * do not change it. Reads the database: call off any event loop.
 */
public final class BundleStream {
  /** Indexes read per query. */
  static final int PAGE = 500;

  private static final JsonFactory FACTORY =
      new JsonFactory()
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          // a failure mid-way must not close the open arrays and objects: the file stays broken
          .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);

  /** One device's part of the bundle: its latest cosigned checkpoint and the lifts it covers. */
  record Part(EvidenceSource.LogRef log, EvidenceSource.Cosigned checkpoint, long entries) {}

  /**
   * What a bundle will hold.
   *
   * @param entries the lifts in the bundle (covered by a cosigned checkpoint)
   * @param pending the matching lifts left out because no cosignature covers them yet
   */
  public record Plan(
      String bin, Instant from, Instant to, List<Part> parts, long entries, long pending) {
    public Plan {
      parts = List.copyOf(parts);
    }
  }

  private final EvidenceSource source;

  public BundleStream(EvidenceSource source) {
    this.source = source;
  }

  /** The devices, checkpoints and counts of the bundle of {@code bin} in [from, to). */
  public Plan plan(String bin, Instant from, Instant to) throws IOException {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("period " + from + " .. " + to + " is empty");
    }
    List<Part> parts = new ArrayList<>();
    long entries = 0;
    long pending = 0;
    for (EvidenceSource.LogRef log : source.liftingDevices(bin, from, to)) {
      long all = source.liftCount(log, bin, from, to, Long.MAX_VALUE);
      Optional<EvidenceSource.Cosigned> cp = source.latestCosigned(log);
      long covered = cp.isEmpty() ? 0 : source.liftCount(log, bin, from, to, cp.get().size());
      pending += all - covered;
      if (cp.isPresent()) {
        parts.add(new Part(log, cp.get(), covered));
        entries += covered;
      }
    }
    return new Plan(bin, from, to, parts, entries, pending);
  }

  /** Writes the bundle of {@code plan} to {@code out} (not closed). */
  public void write(Plan plan, OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("format", DisputeBundle.FORMAT);
      g.writeStringField("bin", plan.bin());
      g.writeStringField("from", plan.from().toString());
      g.writeStringField("to", plan.to().toString());
      g.writeArrayFieldStart("logs");
      for (Part p : plan.parts()) {
        writePart(plan, p, g);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private void writePart(Plan plan, Part p, JsonGenerator g) throws IOException {
    EvidenceSource.LogRef log = p.log();
    g.writeStartObject();
    g.writeStringField("fleet", log.fleet());
    g.writeStringField("device", log.device());
    g.writeArrayFieldStart("chains");
    for (List<Bytes> chain : source.chains(log)) {
      g.writeStartArray();
      for (Bytes der : chain) {
        g.writeString(b64(der));
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    EvidenceSource.Cosigned cp = p.checkpoint();
    g.writeArrayFieldStart("checkpoints");
    g.writeStartObject();
    g.writeStringField("note", cp.note());
    g.writeObjectFieldStart("cosignature");
    g.writeStringField("witness", cp.cosignature().witness());
    g.writeStringField("kid", cp.cosignature().kid().toHex());
    g.writeNumberField("timestamp", cp.cosignature().timestamp());
    g.writeStringField("signature", b64(cp.cosignature().signature()));
    g.writeEndObject();
    g.writeArrayFieldStart("consistency");
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeArrayFieldStart("entries");
    long after = -1;
    long written = 0;
    while (true) {
      List<Long> page =
          source.liftIndexes(log, plan.bin(), plan.from(), plan.to(), after, cp.size(), PAGE);
      for (long index : page) {
        writeEntry(log, index, cp.size(), g);
      }
      written += page.size();
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1);
    }
    if (written != p.entries()) {
      // the covered lifts cannot change under a fixed checkpoint: the store is inconsistent
      throw new IOException(
          "bundle of "
              + log.fleet()
              + "/"
              + log.device()
              + ": planned "
              + p.entries()
              + " entries, found "
              + written);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeEntry(EvidenceSource.LogRef log, long index, long size, JsonGenerator g)
      throws IOException {
    Bytes cose = source.entry(log, index);
    List<Hash> proof = source.inclusion(log, index, size);
    g.writeStartObject();
    g.writeNumberField("index", index);
    g.writeStringField("cose", b64(cose));
    g.writeNumberField("checkpoint", 0);
    g.writeArrayFieldStart("proof");
    for (Hash h : proof) {
      g.writeString(h.toHex());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String b64(Bytes b) {
    return Base64.getEncoder().encodeToString(b.toByteArray());
  }
}
