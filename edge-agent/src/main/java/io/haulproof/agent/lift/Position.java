package io.haulproof.agent.lift;

/**
 * Where the event happened, with the fix quality kept (GPS alone is ambiguous in dense streets).
 *
 * @param lat latitude in degrees
 * @param lon longitude in degrees
 * @param hdop horizontal dilution of precision, null when unknown
 * @param fixMode 0 unknown, 1 none, 2 2D, 3 3D
 * @param satellites satellites used, -1 when unknown
 * @param ageMs age of the fix at the event
 */
public record Position(
    double lat, double lon, Double hdop, int fixMode, int satellites, long ageMs) {}
