package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.ledger.audit.AuditReport;
import io.haulproof.ledger.audit.BundleCodec;
import io.haulproof.ledger.audit.BundleVerifier;
import io.haulproof.ledger.audit.DeviceEvidence;
import io.haulproof.ledger.audit.DisputeBundle;
import io.haulproof.ledger.audit.ProvenEntry;
import io.haulproof.ledger.facts.LiftFacts;
import io.haulproof.ledger.fixtures.BundleFixture;
import io.haulproof.ledger.fixtures.TruckLog;
import io.haulproof.ledger.http.LedgerHttp;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The auditor's and billing clerk's HTTP endpoints over a real SQLite ledger. */
class AuditHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLEET = "city";
  private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path tmp;
  private TestPki pki;
  private Ledger ledger;
  private LedgerHttp http;
  private TruckLog truck;
  private String bin;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
    truck = new TruckLog(pki, FLEET, "truck-1", 7, FROM.plusSeconds(3600).toEpochMilli());
    registry.add(truck.certificate());
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.systemUTC());
    http = new LedgerHttp(ledger, new InetSocketAddress("127.0.0.1", 0));
    // 30 lifts, 5 of them of one bin; the first 20 under a cosigned checkpoint, 10 held after it
    for (int i = 0; i < 30; i++) {
      truck.lift(i % 6 == 0 ? 42 : 100 + i);
    }
    bin = LiftFacts.binId((CollectionBody) truck.decoded(0).body()).orElseThrow();
    Topics t = new Topics(FLEET, "truck-1");
    for (int i = 0; i < 30; i++) {
      ledger.acceptEntry(t, Integer.toString(i), truck.entry(i));
    }
    ReceiptMessage r =
        ledger.acceptCheckpoint(t, new CheckpointMessage(truck.note(20), 0, List.of()).encode());
    assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
    ledger.close();
  }

  private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + pathAndQuery))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode json(String pathAndQuery, int status) throws Exception {
    HttpResponse<byte[]> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  @Test
  void collectionsByBin_boundLifts_eachWithAProofAgainstTheCosignedRoot() throws Exception {
    // when
    JsonNode page = json("/v1/collections?bin=" + bin + "&from=" + FROM + "&to=" + TO, 200);
    // then the bin's lifts under the checkpoint (indexes 0, 6, 12, 18) are there, proven
    List<Long> indexes = new ArrayList<>();
    for (JsonNode c : page.get("collections")) {
      indexes.add(c.get("index").asLong());
      assertThat(c.get("bin").asText()).isEqualTo(bin);
      assertThat(c.get("proven").asBoolean()).isTrue();
      assertThat(c.get("checkpoint_size").asLong()).isEqualTo(20);
      List<Hash> path = new ArrayList<>();
      c.get("path").forEach(h -> path.add(Hash.fromHex(h.asText())));
      long i = c.get("index").asLong();
      ProofVerifier.verifyInclusion(i, 20, Rfc9162.leafHash(truck.entry(i)), path, truck.root(20));
    }
    assertThat(indexes).containsExactly(0L, 6L, 12L, 18L);
    assertThat(page.has("next")).isFalse();
  }

  @Test
  void collectionsByVehicle_pagedWithNext_everyBoundLiftOnce() throws Exception {
    // given
    String vehicle = ((CollectionBody) truck.decoded(0).body()).operation().vehicleId();
    String q = "/v1/collections?vehicle=" + vehicle + "&from=" + FROM + "&to=" + TO + "&limit=7";
    // when
    List<Long> seen = new ArrayList<>();
    String next = null;
    do {
      JsonNode page = json(q + (next == null ? "" : "&after=" + next), 200);
      page.get("collections").forEach(c -> seen.add(c.get("index").asLong()));
      next = page.has("next") ? page.get("next").asText() : null;
    } while (next != null);
    // then the 20 bound lifts, in order, none twice; the 10 held ones wait for a checkpoint
    assertThat(seen).hasSize(20).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void bundle_forBin_verifiesOfflineAndFailsWhenTampered() throws Exception {
    // when
    HttpResponse<byte[]> r = get("/v1/bundle?bin=" + bin + "&from=" + FROM + "&to=" + TO);
    // then
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Haulproof-Entries")).contains("4");
    BundleVerifier v = new BundleVerifier(pki.caCertificate(), ledger.witnessPublicKey());
    AuditReport ok = v.verify(BundleCodec.decode(r.body()));
    assertThat(ok.valid()).as(ok.toString()).isTrue();
    // and the same bundle with one entry byte changed does not verify
    DisputeBundle good = BundleCodec.decode(r.body());
    DeviceEvidence d = good.logs().get(0);
    ProvenEntry e = d.entries().get(1);
    ProvenEntry altered =
        new ProvenEntry(
            e.index(),
            BundleFixture.flip(e.cose(), e.cose().length() - 70),
            e.checkpoint(),
            e.proof());
    List<ProvenEntry> entries = new ArrayList<>(d.entries());
    entries.set(1, altered);
    DisputeBundle bad =
        new DisputeBundle(
            good.bin(), good.from(), good.to(), List.of(BundleFixture.withEntries(d, entries)));
    AuditReport refused = v.verify(BundleCodec.decode(BundleCodec.encode(bad)));
    assertThat(refused.valid()).isFalse();
  }

  @Test
  void paytExport_csvAndJsonl_oneRowPerBoundLiftWithEvidenceReference() throws Exception {
    // when
    HttpResponse<byte[]> csv = get("/v1/export/payt?from=" + FROM + "&to=" + TO + "&format=csv");
    HttpResponse<byte[]> jsonl =
        get("/v1/export/payt?from=" + FROM + "&to=" + TO + "&format=jsonl");
    // then
    assertThat(csv.statusCode()).isEqualTo(200);
    List<String> lines = new String(csv.body(), StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(21);
    assertThat(lines.get(0)).startsWith("bin,time,fleet,device,index");
    List<String> rows = new String(jsonl.body(), StandardCharsets.UTF_8).lines().toList();
    assertThat(rows).hasSize(20);
    for (String row : rows) {
      JsonNode n = JSON.readTree(row);
      assertThat(n.get("device").asText()).isEqualTo("truck-1");
      assertThat(n.get("checkpoint_size").asLong()).isEqualTo(20);
      assertThat(n.get("evidence").asText()).isNotBlank();
    }
  }

  static Stream<String> badQueries() {
    List<String> out =
        new ArrayList<>(
            List.of(
                "/v1/collections",
                "/v1/collections?from=2026-05-01&to=2026-06-01T00:00:00Z",
                "/v1/collections?from=2026-06-01T00:00:00Z&to=2026-05-01T00:00:00Z",
                "/v1/collections?bin=ZZ&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?bin=aa&tour=t&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?limit=0&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?limit=99999&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?after=x&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?evil=1&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?from=2026-05-01T00:00:00Z&from=2026-05-01T00:00:00Z&to=x",
                "/v1/collections?vehicle=%00%0a&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/collections?bin=%zz&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/bundle?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z",
                "/v1/export/payt?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z&format=xls"));
    // seeded random junk queries (no jqwik): every one must get a 400, never a 500
    Random r = new Random(20261204);
    String alphabet = "abz09=&%._-:TZ+/\\'\"<>";
    for (int i = 0; i < 40; i++) {
      StringBuilder q = new StringBuilder("/v1/collections?");
      for (int k = 0, n = 1 + r.nextInt(30); k < n; k++) {
        q.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      out.add(
          q.toString()
              .replace("\\", "%5C")
              .replace("\"", "%22")
              .replace("<", "%3C")
              .replace(">", "%3E")
              .replace("'", "%27"));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void query_badParameters_400NamingTheProblem(String q) throws Exception {
    // when
    long before = ledger.counters().getOrDefault("http.rejected", 0L);
    String[] statusAndBody = rawGet(q);
    // then
    assertThat(statusAndBody[0]).as(q).contains(" 400 ");
    if (statusAndBody[1].startsWith("{")) { // refused by us: a reason, and counted
      assertThat(JSON.readTree(statusAndBody[1]).get("error").asText()).isNotBlank();
      assertThat(ledger.counters().get("http.rejected")).isEqualTo(before + 1);
    } else { // a malformed request line: the HTTP server refuses it before any handler runs
      assertThat(statusAndBody[1]).contains("URI");
      assertThat(ledger.counters().getOrDefault("http.rejected", 0L)).isEqualTo(before);
    }
  }

  /** A GET sent as raw bytes (java.net.URI refuses malformed escapes): status line and body. */
  private String[] rawGet(String target) throws Exception {
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", http.port())) {
      sock.getOutputStream()
          .write(
              ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String all = new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int head = all.indexOf("\r\n\r\n");
      return new String[] {all.substring(0, all.indexOf("\r\n")), all.substring(head + 4)};
    }
  }
}
