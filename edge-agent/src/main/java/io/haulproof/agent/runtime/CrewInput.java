package io.haulproof.agent.runtime;

import io.haulproof.lightchain.entry.ExceptionCode;
import java.util.Objects;

/**
 * An exception code entered by the crew, optionally with the container id taken from the route
 * list.
 *
 * @param code why the bin was not emptied
 * @param containerId container id when no tag could be read, or null
 */
public record CrewInput(ExceptionCode code, String containerId) {
  public CrewInput {
    Objects.requireNonNull(code, "code");
  }
}
