package io.haulproof.lightchain.checkpoint;

/** A signed note or checkpoint text that breaks the C2SP signed-note or tlog-checkpoint syntax. */
public final class NoteFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoteFormatException(String message) {
    super(message);
  }
}
