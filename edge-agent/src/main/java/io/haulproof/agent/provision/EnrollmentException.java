package io.haulproof.agent.provision;

/**
 * An enrollment request or response that fails a check; the message names what was expected and
 * what was found.
 */
public final class EnrollmentException extends RuntimeException {
  public EnrollmentException(String message) {
    super(message);
  }

  public EnrollmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
