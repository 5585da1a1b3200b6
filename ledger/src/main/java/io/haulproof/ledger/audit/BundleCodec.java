package io.haulproof.ledger.audit;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.Kid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes dispute bundles as one UTF-8 JSON document (docs/ledger.md, "Dispute bundle").
 *
 * <p>Binary values: COSE entries, certificates and signatures are standard base64; hashes and kids
 * are lowercase hex. {@link #decode} is strict: it rejects unknown or missing fields, wrong types,
 * non-canonical encodings, duplicate keys and files over {@value #MAX_BYTES} bytes, always with a
 * {@link BundleFormatException} naming the field.
 */
public final class BundleCodec {
  /** The largest bundle accepted: about 100k entries with their proofs. */
  public static final int MAX_BYTES = 128 * 1024 * 1024;

  static final int MAX_ITEMS = 1_000_000;
  private static final int MAX_PROOF = 64;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(20).build());
  }

  private BundleCodec() {}

  /** The bundle as pretty-printed JSON bytes. */
  public static byte[] encode(DisputeBundle b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(b, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return out.toByteArray();
  }

  /** Writes the bundle as pretty-printed JSON to {@code out}, as it is encoded (not closed). */
  public static void write(DisputeBundle b, OutputStream out) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", DisputeBundle.FORMAT);
    root.put("bin", b.bin());
    root.put("from", b.from().toString());
    root.put("to", b.to().toString());
    ArrayNode logs = root.putArray("logs");
    for (DeviceEvidence d : b.logs()) {
      ObjectNode n = logs.addObject();
      n.put("fleet", d.fleet());
      n.put("device", d.device());
      ArrayNode chains = n.putArray("chains");
      for (List<Bytes> chain : d.chains()) {
        ArrayNode c = chains.addArray();
        chain.forEach(der -> c.add(b64(der)));
      }
      ArrayNode cps = n.putArray("checkpoints");
      for (CosignedCheckpoint cp : d.checkpoints()) {
        ObjectNode c = cps.addObject();
        c.put("note", cp.note());
        ObjectNode cs = c.putObject("cosignature");
        cs.put("witness", cp.cosignature().witness());
        cs.put("kid", cp.cosignature().kid().toHex());
        cs.put("timestamp", cp.cosignature().timestamp());
        cs.put("signature", b64(cp.cosignature().signature()));
        ArrayNode p = c.putArray("consistency");
        cp.consistency().forEach(h -> p.add(h.toHex()));
      }
      ArrayNode es = n.putArray("entries");
      for (ProvenEntry e : d.entries()) {
        ObjectNode en = es.addObject();
        en.put("index", e.index());
        en.put("cose", b64(e.cose()));
        en.put("checkpoint", e.checkpoint());
        ArrayNode p = en.putArray("proof");
        e.proof().forEach(h -> p.add(h.toHex()));
      }
    }
    JSON.writerWithDefaultPrettyPrinter()
        .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .writeValue(out, root);
  }

  /** Parses a bundle strictly; throws {@link BundleFormatException} on any deviation. */
  public static DisputeBundle decode(byte[] file) {
    if (file.length > MAX_BYTES) {
      throw new BundleFormatException(
          "bundle of " + file.length + " bytes, max " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file);
    } catch (IOException e) {
      throw new BundleFormatException(
          "bundle is not complete JSON (truncated or damaged?): " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new BundleFormatException("bundle is not a JSON object");
    }
    fields(root, "bundle", Set.of("format", "bin", "from", "to", "logs"));
    String format = text(root, "format", "bundle");
    if (!format.equals(DisputeBundle.FORMAT)) {
      throw new BundleFormatException(
          "format '" + clip(format) + "', want '" + DisputeBundle.FORMAT + "'");
    }
    try {
      return new DisputeBundle(
          text(root, "bin", "bundle"),
          instant(root, "from"),
          instant(root, "to"),
          array(root, "logs", "bundle", BundleCodec::log));
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException("bundle: " + e.getMessage(), e);
    }
  }

  private static DeviceEvidence log(JsonNode n, String where) {
    fields(n, where, Set.of("fleet", "device", "chains", "checkpoints", "entries"));
    return new DeviceEvidence(
        text(n, "fleet", where),
        text(n, "device", where),
        array(
            n,
            "chains",
            where,
            (c, w) -> {
              if (!c.isArray()) {
                throw new BundleFormatException(w + " is not an array of certificates");
              }
              List<Bytes> out = new ArrayList<>();
              int i = 0;
              for (JsonNode der : c) {
                out.add(base64(der, w + "[" + i++ + "]"));
              }
              return out;
            }),
        array(n, "checkpoints", where, BundleCodec::checkpoint),
        array(n, "entries", where, BundleCodec::entry));
  }

  private static CosignedCheckpoint checkpoint(JsonNode n, String where) {
    fields(n, where, Set.of("note", "cosignature", "consistency"));
    JsonNode cs = n.get("cosignature");
    String csWhere = where + ".cosignature";
    if (cs == null || !cs.isObject()) {
      throw new BundleFormatException(csWhere + " missing or not an object");
    }
    fields(cs, csWhere, Set.of("witness", "kid", "timestamp", "signature"));
    Bytes kid = hex(cs.get("kid"), csWhere + ".kid");
    if (kid.length() != Kid.SIZE) {
      throw new BundleFormatException(
          csWhere + ".kid has " + kid.length() + " bytes, want " + Kid.SIZE);
    }
    try {
      return new CosignedCheckpoint(
          text(n, "note", where),
          new WitnessCosignature(
              text(cs, "witness", csWhere),
              new Kid(kid),
              number(cs, "timestamp", csWhere),
              base64(cs.get("signature"), csWhere + ".signature")),
          hashes(n, "consistency", where));
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static ProvenEntry entry(JsonNode n, String where) {
    fields(n, where, Set.of("index", "cose", "checkpoint", "proof"));
    long cp = number(n, "checkpoint", where);
    if (cp > Integer.MAX_VALUE) {
      throw new BundleFormatException(where + ".checkpoint " + cp + " out of range");
    }
    return new ProvenEntry(
        number(n, "index", where),
        base64(n.get("cose"), where + ".cose"),
        (int) cp,
        hashes(n, "proof", where));
  }

  private static List<Hash> hashes(JsonNode n, String field, String where) {
    List<Hash> out =
        array(
            n,
            field,
            where,
            (h, w) -> {
              Bytes b = hex(h, w);
              if (b.length() != Hash.SIZE) {
                throw new BundleFormatException(
                    w + " has " + b.length() + " bytes, want " + Hash.SIZE);
              }
              return Hash.of(b.toByteArray());
            });
    if (out.size() > MAX_PROOF) {
      throw new BundleFormatException(
          where + "." + field + " has " + out.size() + " hashes, max " + MAX_PROOF);
    }
    return out;
  }

  private static <T> List<T> array(JsonNode n, String field, String where, ItemReader<T> reader) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new BundleFormatException(where + "." + field + " missing or not an array");
    }
    if (a.size() > MAX_ITEMS) {
      throw new BundleFormatException(
          where + "." + field + " has " + a.size() + " items, max " + MAX_ITEMS);
    }
    List<T> out = new ArrayList<>(a.size());
    int i = 0;
    for (JsonNode item : a) {
      out.add(reader.read(item, where + "." + field + "[" + i++ + "]"));
    }
    return out;
  }

  /** Reads one array item; {@code where} names it for error messages. */
  private interface ItemReader<T> {
    T read(JsonNode item, String where);
  }

  private static void fields(JsonNode n, String where, Set<String> allowed) {
    if (!n.isObject()) {
      throw new BundleFormatException(where + " is not an object");
    }
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new BundleFormatException(where + " has unknown field '" + clip(f) + "'");
      }
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new BundleFormatException(where + "." + field + " missing or not a string");
    }
    return v.asText();
  }

  private static long number(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new BundleFormatException(
          where + "." + field + " missing or not an integer >= 0 that fits 64 bits");
    }
    return v.asLong();
  }

  private static Instant instant(JsonNode n, String field) {
    String s = text(n, field, "bundle");
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new BundleFormatException(
          "bundle." + field + " '" + clip(s) + "' is not an ISO-8601 UTC instant");
    }
  }

  private static Bytes base64(JsonNode v, String where) {
    return decodeText(
        v,
        where,
        "base64",
        s -> {
          byte[] raw = Base64.getDecoder().decode(s);
          if (!Base64.getEncoder().encodeToString(raw).equals(s)) {
            throw new IllegalArgumentException("not canonical");
          }
          return Bytes.wrap(raw);
        });
  }

  private static Bytes hex(JsonNode v, String where) {
    return decodeText(
        v,
        where,
        "lowercase hex",
        s -> {
          if (!s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("not lowercase");
          }
          return Bytes.fromHex(s);
        });
  }

  private static Bytes decodeText(
      JsonNode v, String where, String what, Function<String, Bytes> decoder) {
    if (v == null || !v.isTextual()) {
      throw new BundleFormatException(where + " missing or not a " + what + " string");
    }
    try {
      return decoder.apply(v.asText());
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(where + " is not " + what + ": " + e.getMessage());
    }
  }

  private static String b64(Bytes b) {
    return Base64.getEncoder().encodeToString(b.toByteArray());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
