package io.haulproof.lightchain.crypto;

/**
 * A key store cannot be opened, unlocked or written; the message says which file or token and why.
 */
public class KeyStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyStoreException(String message) {
    super(message);
  }

  public KeyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
