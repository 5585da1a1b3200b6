package io.haulproof.lightchain.merkle;

/**
 * A Merkle inclusion or consistency proof did not verify; the message names the expected and actual
 * values.
 */
public final class ProofException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }
}
