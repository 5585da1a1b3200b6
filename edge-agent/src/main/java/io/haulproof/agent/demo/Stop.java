package io.haulproof.agent.demo;

import io.haulproof.lightchain.entry.ExceptionCode;

/**
 * One bin on the simulated route.
 *
 * @param kind what happens at this bin
 * @param country manufacturer code of the bin's tag (900–998)
 * @param nationalId the tag's national id
 * @param grossTenths full-bin weight in 0.1 kg (a multiple of 5: e = 0.5 kg)
 * @param tareTenths empty-bin weight in 0.1 kg
 * @param lat latitude of the stop
 * @param lon longitude of the stop
 * @param exception the crew's exception code, for {@link Kind#EXCEPTION}
 */
public record Stop(
    Kind kind,
    int country,
    long nationalId,
    long grossTenths,
    long tareTenths,
    double lat,
    double lon,
    ExceptionCode exception) {
  /** What happens at a bin. */
  public enum Kind {
    /** Registered and due: tag read, lifted, weighed, emptied. */
    EMPTIED,
    /** Tag not on the allow-list: the lifter is stopped. */
    UNKNOWN_BIN,
    /** Registered for another day: the lifter is stopped. */
    WRONG_DAY,
    /** Tag read, then the crew records an exception instead of emptying. */
    EXCEPTION,
    /** The tag cannot be read (damaged); the bin is lifted and weighed anyway. */
    UNREADABLE_TAG
  }

  public String containerId() {
    return String.format("%03d-%012d", country, nationalId);
  }

  public boolean hasTag() {
    return kind != Kind.UNREADABLE_TAG;
  }

  public boolean lifted() {
    return kind == Kind.EMPTIED || kind == Kind.UNREADABLE_TAG;
  }
}
