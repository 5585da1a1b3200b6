package io.haulproof.agent.runtime;

/**
 * New tour and crew for the following collection events, from management at the start of a shift.
 *
 * @param tour tour id, or null
 * @param crew crew id, or null
 */
public record RouteChange(String tour, String crew) {}
