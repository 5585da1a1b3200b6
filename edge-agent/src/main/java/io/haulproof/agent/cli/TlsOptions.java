package io.haulproof.agent.cli;

import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import picocli.CommandLine.Option;

/**
 * The TLS flags of the server-side commands that connect to a broker ({@code ledger}, {@code
 * authenticator}): the same names as the technician's {@code provision} commands. An {@code ssl://}
 * broker is used with the given CA (host name always verified) and, if given, a client certificate;
 * TLS flags with a {@code tcp://} broker are refused, never silently ignored.
 */
final class TlsOptions {
  @Option(names = "--tls-ca", description = "CA PEM for an ssl:// broker (host name is verified)")
  Path ca;

  @Option(names = "--tls-cert", description = "Client certificate PEM for an ssl:// broker")
  Path cert;

  @Option(names = "--tls-key", description = "Client private key PEM (PKCS#8) for an ssl:// broker")
  Path key;

  /** Why these flags cannot be used with {@code broker}, or null if they can. */
  String problem(String broker) {
    if ((cert == null) != (key == null) || (cert != null && ca == null)) {
      return "--tls-cert and --tls-key go together, and need --tls-ca";
    }
    boolean ssl = broker.startsWith("ssl://") || broker.startsWith("mqtts://");
    if (ssl && ca == null) {
      return broker + " is TLS: --tls-ca is required";
    }
    if (!ssl && ca != null) {
      return broker + " is not TLS but --tls-ca is set: use ssl:// (never downgraded)";
    }
    return null;
  }

  /** {@code s} with the TLS context of these flags, if any; call after {@link #problem}. */
  MqttSettings apply(MqttSettings s) throws IOException, GeneralSecurityException {
    return ca == null ? s : s.withTls(TlsContexts.fromPem(ca, cert, key));
  }
}
