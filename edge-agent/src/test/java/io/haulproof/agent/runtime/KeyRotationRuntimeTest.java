package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.cli.Main;
import io.haulproof.agent.mgmt.ManagementService;
import io.haulproof.agent.mgmt.MgmtFixture;
import io.haulproof.agent.mgmt.MgmtOp;
import io.haulproof.agent.mgmt.MgmtResponse;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.CsrChecks;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation in a running agent: the management service rotates through {@link RuntimeHooks} into
 * a real open lightchain; the log switches to the new key at one boundary and the chain still
 * verifies.
 */
class KeyRotationRuntimeTest {
  @TempDir Path dir;

  @Test
  void rotateKey_whileRunning_laterEntriesSignedByNewKidAndChainVerifies() throws Exception {
    // given an enrolled device whose open log signs with its identity key, a few entries in
    MgmtFixture f = new MgmtFixture(dir.resolve("mgmt"), true);
    RuntimeHooks hooks = new RuntimeHooks("t");
    ManagementService service =
        ManagementService.open(dir.resolve("service"), f.identity, hooks, f.clock, f.meters);
    Path data = dir.resolve("data");
    Kid oldKid = f.identity.activeKey().kid();
    Lightchain chain =
        Lightchain.open(
            data,
            f.identity.activeKey(),
            "truck-7",
            LightchainOptions.defaults("haulproof.io/v1/acme/truck-7").withBlocks(4, 50));
    try {
      hooks.attach(chain);
      for (int i = 1; i <= 5; i++) {
        hooks.appendEvidence(TestEntries.config(i));
      }
      long beforeRotation = chain.log().size();
      MgmtResponse begin =
          service
              .handle(f.request(MgmtOp.ROTATE_KEY, MgmtFixture.texts("step", "begin")))
              .response();
      assertThat(begin.ok()).as("%s", begin.toMap()).isTrue();
      var cert =
          f.ca.issueDevice(
              CsrChecks.parse(Bytes.fromHex((String) begin.result().get("csr"))), f.ref.device());

      // when
      MgmtResponse commit =
          service
              .handle(
                  f.request(
                      MgmtOp.ROTATE_KEY,
                      Map.of(
                          "step",
                          new CborText("commit"),
                          "cert",
                          new CborBytes(Certificates.der(cert)))))
              .response();
      for (int i = 6; i <= 10; i++) {
        hooks.appendEvidence(TestEntries.config(i));
      }
      chain.flush().get(60, TimeUnit.SECONDS);

      // then
      assertThat(commit.ok()).as("%s", commit.toMap()).isTrue();
      Kid newKid = f.identity.activeKey().kid();
      assertThat(newKid).isNotEqualTo(oldKid);
      CoseSign1 rotate = CoseSign1.decode(chain.log().read(beforeRotation));
      Entry rotateEntry = EntryCodec.decode(rotate);
      assertThat(rotateEntry.body()).isInstanceOf(KeyBody.class);
      assertThat(((KeyBody) rotateEntry.body()).action()).isEqualTo(KeyAction.ROTATE);
      assertThat(((KeyBody) rotateEntry.body()).kid()).isEqualTo(newKid);
      assertThat(rotate.kid())
          .as("the ROTATE entry is signed by the key it retires")
          .isEqualTo(oldKid);
      for (long i = beforeRotation + 1; i < chain.log().size(); i++) {
        assertThat(CoseSign1.decode(chain.log().read(i)).kid()).as("entry %d", i).isEqualTo(newKid);
      }
      assertThat(chain.log().size()).isEqualTo(beforeRotation + 6);
      assertThat(chain.failure()).isEmpty();
      assertThat(chain.verify(n -> {}).valid()).isTrue();
    } finally {
      chain.close();
    }
    assertThat(Main.run("chain", "verify", "--data-dir", data.toString())).isZero();
  }
}
