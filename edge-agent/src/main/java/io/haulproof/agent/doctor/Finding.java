package io.haulproof.agent.doctor;

import java.util.Objects;

/**
 * The result of one check, printed as one line such as {@code OK broker: ssl://ledger:8883 answers
 * (TLS)}.
 *
 * @param verdict OK, WARN or FAIL
 * @param subject what was checked, a word or two
 * @param detail what was found, in plain words
 */
public record Finding(Verdict verdict, String subject, String detail) {
  public Finding {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detail, "detail");
    detail = detail.replaceAll("[\\r\\n]+", " ");
  }

  public static Finding ok(String subject, String detail) {
    return new Finding(Verdict.OK, subject, detail);
  }

  public static Finding warn(String subject, String detail) {
    return new Finding(Verdict.WARN, subject, detail);
  }

  public static Finding fail(String subject, String detail) {
    return new Finding(Verdict.FAIL, subject, detail);
  }

  /** The line a technician reads: the verdict padded to 4 characters, the subject, the detail. */
  public String line() {
    return String.format("%-4s %s: %s", verdict, subject, detail);
  }
}
