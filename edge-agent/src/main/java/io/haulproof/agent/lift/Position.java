package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.FixMode;

/**
 * Where the event happened, with the fix quality kept (GPS alone is ambiguous in dense streets).
 *
 * @param lat latitude in degrees
 * @param lon longitude in degrees
 * @param hdop horizontal dilution of precision, null when unknown
 * @param fixMode the fix mode, null when the receiver did not say
 * @param satellites satellites used, -1 when unknown
 * @param ageMs age of the fix at the event
 */
public record Position(
    double lat, double lon, Double hdop, FixMode fixMode, int satellites, long ageMs) {}
