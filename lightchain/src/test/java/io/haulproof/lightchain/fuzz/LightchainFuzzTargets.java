package io.haulproof.lightchain.fuzz;

import io.haulproof.lightchain.block.RecordFileFuzz;
import io.haulproof.lightchain.log.SegmentOpenFuzz;
import java.util.ArrayList;
import java.util.List;

/** The lightchain module's fuzz targets: codecs, checkpoint notes, log and block recovery. */
public final class LightchainFuzzTargets implements FuzzRegistry {
  @Override
  public List<FuzzTarget> targets() {
    List<FuzzTarget> all = new ArrayList<>(CodecTargets.all());
    all.add(SegmentOpenFuzz.target());
    all.add(RecordFileFuzz.target());
    return all;
  }
}
