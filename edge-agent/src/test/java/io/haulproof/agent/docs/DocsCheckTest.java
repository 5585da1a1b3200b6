package io.haulproof.agent.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haulproof.agent.cli.Main;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The checker itself, on small synthetic markdown: it must catch each kind of typo. */
class DocsCheckTest {
  private final DocsCheck check =
      new DocsCheck(
          new CommandLine(new Main()).getCommandSpec(),
          new SourceIndex(
              Set.of("RunKeystoreIT", "FleetCa"),
              Set.of("check_macMoved_refused"),
              "count(\"http.rejected\")",
              "count(\"http.rejected\")"));

  private List<String> problems(String md) {
    return check.check("t.md", md);
  }

  @Test
  void check_correctCommandsAndYaml_noProblems() {
    String md =
        "Run `haulproof chain verify --data-dir d` or:\n"
            + "```sh\n"
            + "B=\"--device truck-7 --broker ssl://t:8883 --tls-ca ca.pem --ca-dir fleet-ca\"\n"
            + "./haulproof provision mgmt $B --op inventory   # comment --nonsense\n"
            + "sudo haulproof ledger --broker tcp://h:1 \\\n"
            + "   --data-dir x --tls-ca ca.pem\n"
            + "systemctl status haulproof\n"
            + "```\n"
            + "```yaml\n"
            + "route:\n"
            + "  tour: north\n"
            + "  # crew: c-1\n"
            + "```\n";
    assertEquals(List.of(), problems(md));
  }

  @Test
  void check_typoInAFlag_isReportedWithFileAndLine() {
    List<String> p = problems("x\n`haulproof chain verify --data-dri d`\n");
    assertEquals(1, p.size(), p.toString());
    assertTrue(
        p.get(0).startsWith("t.md:2: `haulproof chain verify` has no option --data-dri"), p.get(0));
  }

  @Test
  void check_typoInASubcommand_isReported() {
    List<String> p = problems("```sh\n./haulproof chain verfy --data-dir d\n```\n");
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("has no subcommand verfy"), p.get(0));
  }

  @Test
  void check_flagOfAnotherCommand_isReported() {
    // --cafile was never a ledger option; --fleet-root belongs to audit verify, not chain verify
    List<String> p = problems("`haulproof chain verify --fleet-root f.pem`\n");
    assertEquals(1, p.size(), p.toString());
  }

  @Test
  void check_typoBehindAContinuationAndAShellVariable_isReported() {
    String md =
        "```sh\n"
            + "B=\"--device truck-7 --tls-kay k.pem\"\n"
            + "./haulproof provision mgmt $B \\\n"
            + "   --op reboot --expires-in 5 --lnes 3\n"
            + "```\n";
    List<String> p = problems(md);
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).contains("--tls-kay"), p.toString());
    assertTrue(p.get(1).contains("--lnes"), p.toString());
  }

  @Test
  void check_unknownYamlKey_isReportedAlsoWhenCommentedOut() {
    String md = "```yaml\nkeystore:\n  type: pkcs11\n  tokenLable: x\n```\n";
    List<String> p = problems(md);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("keystore.tokenLable: unknown key"), p.get(0));

    List<String> commented = problems("```yaml\nroute:\n  # crwe: x\n```\n");
    assertEquals(1, commented.size(), commented.toString());
    assertTrue(commented.get(0).contains("route.crwe"), commented.get(0));
  }

  @Test
  void check_managementConfigKeyTheAgentRefuses_isReported() {
    String md =
        "```sh\n"
            + "./haulproof provision mgmt --device t --op config --set route.tuor=x --set route.crew=c\n"
            + "./haulproof provision mgmt --device t --op calibrate --set scale=s --set zero=1\n"
            + "```\n"
            + "`provision enroll --device t --set uplink.brokr=ssl://c:8883`\n";
    List<String> p = problems(md);
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).contains("management config key route.tuor"), p.toString());
    assertTrue(p.get(1).startsWith("t.md:5:") && p.get(1).contains("uplink.brokr"), p.toString());
  }

  @Test
  void check_inlineCommandWithoutTheProgramName_isChecked() {
    List<String> p = problems("Use `chain verify --data-dri d`, not `run`.\n");
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("--data-dri"), p.get(0));
  }

  @Test
  void check_exampleWithAnOldOptionName_isReported() {
    List<String> p =
        problems("`haulproof provision mgmt --device t --cafile ca.pem --op reboot`\n");
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("old name --cafile, write --tls-ca"), p.get(0));
  }

  @Test
  void check_inlineSettingPath_isCheckedAgainstTheConfigRecords() {
    List<String> p =
        problems("Set `keystore.pinFile` or `remote.mqttTls.ca`, not `keystore.pinFiel`.\n");
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("keystore.pinFiel: unknown key"), p.get(0));
  }

  @Test
  void check_dottedNamesThatAreNotSettings_areNotReported() {
    // a management key, a package, a file, a counter the code names
    String md =
        "`poah.quorum`, `uplink.wire`, `device.pub.pem`, `http.rejected`; but `http.rejectd`\n";
    List<String> p = problems(md);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("http.rejectd"), p.get(0));
  }

  @Test
  void check_renamedClassOrTest_isReported() {
    String md =
        "`RunKeystoreIT`, `FleetCa.issue`, `check_macMoved_refused` exist;"
            + " `RunKeyStoreIT` and `check_macMoved_accepted` do not\n";
    List<String> p = problems(md);
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).contains("RunKeyStoreIT"), p.toString());
    assertTrue(p.get(1).contains("no test method check_macMoved_accepted"), p.toString());
  }
}
