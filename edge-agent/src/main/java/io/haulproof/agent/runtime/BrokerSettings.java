package io.haulproof.agent.runtime;

import io.haulproof.agent.config.BrokerUrl;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.TlsConfig;
import io.haulproof.lightchain.crypto.PassphraseSource;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * {@link MqttSettings} for one configured broker (uplink, management, smart-bin receiver), built
 * the same way for each: {@code ssl://} with the configured CA, client certificate and key (host
 * name always verified), {@code tcp://} only without TLS material, and a password read from a 0600
 * file.
 */
public final class BrokerSettings {
  private BrokerSettings() {}

  /**
   * The settings for {@code url}.
   *
   * @param section the configuration section, e.g. {@code management}, for error messages
   * @throws ConfigException naming the setting when a file is missing or unusable
   */
  public static MqttSettings of(
      String section,
      String url,
      String clientId,
      TlsConfig tls,
      String username,
      String passwordFile)
      throws IOException {
    BrokerUrl.check(section + ".broker", url, tls);
    MqttSettings s = MqttSettings.of(BrokerUrl.normalised(url), clientId);
    if (tls != null) {
      if (!tls.hostnameVerification()) {
        throw new ConfigException(
            section + ".tls.hostnameVerification",
            "cannot be turned off: the broker's name is always checked");
      }
      try {
        s =
            s.withTls(
                TlsContexts.fromPem(
                    existing(section + ".tls.ca", tls.ca()),
                    tls.cert() == null ? null : existing(section + ".tls.cert", tls.cert()),
                    tls.key() == null ? null : existing(section + ".tls.key", tls.key())));
      } catch (GeneralSecurityException e) {
        throw new ConfigException(section + ".tls", "cannot be used: " + e.getMessage());
      }
    }
    if (username != null) {
      char[] pass =
          PassphraseSource.file(existing(section + ".passwordFile", passwordFile)).passphrase();
      byte[] bytes = new String(pass).getBytes(StandardCharsets.UTF_8);
      Arrays.fill(pass, '\0');
      s = s.withCredentials(username, new MqttSettings.Secret(bytes));
      Arrays.fill(bytes, (byte) 0);
    }
    s.requireUsable();
    return s;
  }

  private static Path existing(String key, String file) throws NoSuchFileException {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new ConfigException(key, "file " + file + " does not exist");
    }
    return p;
  }
}
