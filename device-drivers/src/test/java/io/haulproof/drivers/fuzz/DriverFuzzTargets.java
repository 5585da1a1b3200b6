package io.haulproof.drivers.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.util.ArrayList;
import java.util.List;

/** The device-drivers module's fuzz targets: every framer, NMEA, gpsd, Modbus, smart bins. */
public final class DriverFuzzTargets implements FuzzRegistry {
  @Override
  public List<FuzzTarget> targets() {
    List<FuzzTarget> all = new ArrayList<>(FramerTargets.all());
    all.addAll(DeviceInputTargets.all());
    all.addAll(SmartBinTargets.all());
    return all;
  }
}
