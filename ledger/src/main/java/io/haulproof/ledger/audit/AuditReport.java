package io.haulproof.ledger.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * What a bundle check found, in plain words: every statement that holds and every one that fails.
 * The bundle holds only if nothing failed.
 */
public final class AuditReport {
  /** One finding; {@code holds} false means a check failed. */
  public record Finding(boolean holds, String text) {}

  private final List<Finding> findings = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void holds(String text) {
    findings.add(new Finding(true, text));
  }

  void fails(String text) {
    findings.add(new Finding(false, text));
  }

  /** A remark on what the check cannot show; neither holds nor fails. */
  void note(String text) {
    notes.add(text);
  }

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  public List<Finding> failures() {
    return findings.stream().filter(f -> !f.holds()).toList();
  }

  /** Whether every check held (and there was at least one). */
  public boolean valid() {
    return !findings.isEmpty() && failures().isEmpty();
  }
}
