package io.haulproof.drivers.fuzz;

import io.haulproof.lightchain.fuzz.FuzzRegistry;
import io.haulproof.lightchain.fuzz.JazzerRunCheck;

/** A short real Jazzer run over every device-drivers target ({@code -Dfuzz.seconds=S}: long). */
class DriverFuzzIT extends JazzerRunCheck {
  @Override
  protected FuzzRegistry registry() {
    return new DriverFuzzTargets();
  }
}
