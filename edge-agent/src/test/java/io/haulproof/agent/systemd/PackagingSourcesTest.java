package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Keeps the packaging sources in systemd/deb consistent with each other. */
class PackagingSourcesTest {
  private static final Path DEB = Tool.REPO.resolve("systemd/deb");

  @Test
  void changelogGz_matchesChangelogText() throws IOException {
    // given: lintian wants usr/share/doc/haulproof/changelog.gz; the readable copy is what people
    // edit
    String text = Files.readString(DEB.resolve("changelog"));

    // when
    String packed;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(DEB.resolve("changelog.gz")))) {
      packed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    // then (regenerate with: gzip -9nc systemd/deb/changelog > systemd/deb/changelog.gz)
    assertThat(packed).isEqualTo(text);
  }

  @Test
  void exampleConfig_loadsWithTheAgentsLoader() {
    // when: the conffile shipped as /etc/haulproof/agent.yaml
    AgentConfig config = new ConfigLoader().load(DEB.resolve("agent.yaml"));

    // then: its data dir is the unit's StateDirectory
    assertThat(config.device().dataDir()).isEqualTo("/var/lib/haulproof");
  }

  @Test
  void maintainerScripts_stopOnErrors() throws IOException {
    for (String script : new String[] {"postinst", "prerm", "postrm"}) {
      String body = Files.readString(DEB.resolve("control").resolve(script));
      assertThat(body).as(script).startsWith("#!/bin/sh\n").contains("\nset -e\n");
    }
  }

  @Test
  void wrapper_execsJavaSoTheJvmIsTheMainPid() throws IOException {
    // given: NotifyAccess=main only accepts READY=1 from the main PID, so the wrapper must not fork
    String wrapper = Files.readString(DEB.resolve("haulproof"));

    // then
    assertThat(wrapper)
        .containsPattern(
            "(?m)^exec \"\\$java\" \\$\\{HAULPROOF_JAVA_OPTS:-\\} -jar \"\\$jar\" \"\\$@\"$");
  }
}
