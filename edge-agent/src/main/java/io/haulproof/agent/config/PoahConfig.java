package io.haulproof.agent.config;

/**
 * Multi-node Proof-of-Authentication (docs/chain.md): the broker on which the truck proposes its
 * sealed blocks to the authenticator nodes and receives their signatures. Which nodes form the set
 * and the quorum are not set here: they come from signed management configuration ({@code
 * poah.quorum}, {@code poah.authenticator.<name>}) and are logged as a {@code config} entry, so the
 * chain says which set applied to each block. Until such a configuration is logged, blocks are
 * single-node and final at once.
 *
 * @param broker the broker the authenticators use, {@code ssl://host:8883} in production (then
 *     {@code tls} is required and used, never downgraded); {@code tcp://} for tests and demos
 * @param tls CA, client certificate and key for an {@code ssl://} broker
 * @param username the broker user, with {@code passwordFile}
 * @param passwordFile file (mode 0600) holding the broker password, with {@code username}
 * @param reconnectMaxMs upper bound of the reconnect back-off
 */
public record PoahConfig(
    String broker, TlsConfig tls, String username, String passwordFile, Long reconnectMaxMs) {
  public PoahConfig {
    BrokerUrl.check("broker", broker, tls);
    BrokerUrl.checkCredentials(username, passwordFile);
    reconnectMaxMs = Check.range("reconnectMaxMs", reconnectMaxMs, 30_000, 100, 3_600_000);
  }
}
