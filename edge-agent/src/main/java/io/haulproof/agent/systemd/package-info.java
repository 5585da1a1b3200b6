/**
 * The agent's side of the systemd service protocol: readiness, status and watchdog keep-alives sent
 * to the {@code NOTIFY_SOCKET} datagram socket (sd_notify(3)) through libsystemd over JNA, because
 * the JDK cannot send to an AF_UNIX datagram socket by itself.
 */
package io.haulproof.agent.systemd;
