package io.haulproof.agent.systemd;

/** A notification could not be delivered to the service manager's NOTIFY_SOCKET. */
public final class SystemdNotifyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SystemdNotifyException(String state, String reason) {
    super("could not send \"" + state + "\" to NOTIFY_SOCKET: " + reason);
  }

  SystemdNotifyException(String state, String reason, Throwable cause) {
    super("could not send \"" + state + "\" to NOTIFY_SOCKET: " + reason, cause);
  }
}
