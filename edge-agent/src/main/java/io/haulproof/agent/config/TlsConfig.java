package io.haulproof.agent.config;

/**
 * TLS material for the uplink; hostname verification is on unless explicitly turned off.
 *
 * @param ca PEM file with the broker's CA
 * @param cert PEM client certificate (the device certificate after enrollment)
 * @param key PEM private key of the client certificate, mode 0600
 * @param hostnameVerification check the broker's name against its certificate
 */
public record TlsConfig(String ca, String cert, String key, Boolean hostnameVerification) {
  public TlsConfig {
    Check.required("ca", ca);
    if ((cert == null) != (key == null)) {
      throw new ConfigException(
          cert == null ? "cert" : "key",
          "is required when " + (cert == null ? "key" : "cert") + " is set");
    }
    hostnameVerification = Check.orDefault(hostnameVerification, true);
  }
}
