package io.haulproof.drivers.fuzz;

import io.haulproof.lightchain.fuzz.FuzzCorpusCheck;
import io.haulproof.lightchain.fuzz.FuzzRegistry;

/** Every committed corpus input of the device-drivers targets, in every build. */
class DriverFuzzCorpusTest extends FuzzCorpusCheck {
  @Override
  protected FuzzRegistry registry() {
    return new DriverFuzzTargets();
  }
}
