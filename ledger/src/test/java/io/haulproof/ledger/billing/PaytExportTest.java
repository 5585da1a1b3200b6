package io.haulproof.ledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.ledger.sim.SyntheticLifts;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.Instrument;
import io.haulproof.lightchain.entry.Operation;
import io.haulproof.lightchain.entry.Weighing;
import io.haulproof.lightchain.entry.WeightUnit;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PaytExportTest {
  static final Hash ROOT = Hash.sha256(new byte[] {1});
  final SyntheticLifts sim = new SyntheticLifts("truck-1", 5, 1_777_881_600_000L, 1);

  /** A lift of bin 7 with the given weighing (null: none) and vehicle id. */
  StoredLift lift(long index, Weighing w, String vehicle) {
    Entry e = sim.next(7);
    CollectionBody c = (CollectionBody) e.body();
    CollectionBody b =
        new CollectionBody(
            c.container(),
            c.position(),
            new Operation(
                vehicle, c.operation().lifter(), c.operation().routeId(), Optional.empty()),
            c.service(),
            Optional.ofNullable(w),
            w == null ? Optional.empty() : Optional.of(new Instrument("S1", OptionalLong.empty())),
            c.outcome(),
            c.exception(),
            c.photoHash(),
            c.quality());
    return new StoredLift(
        "city", "truck-1", index, e.header(), b, Optional.of(100L), Optional.of(ROOT));
  }

  static Weighing kg(long grossTenths, long tareTenths, boolean stable, boolean tilt) {
    long net = grossTenths - tareTenths;
    return new Weighing(
        WeightUnit.KG, 1, grossTenths, tareTenths, 5, 100, 3000, stable, net < 100, false, tilt);
  }

  List<StoredLift> lifts() {
    return List.of(
        lift(0, kg(585, 200, true, false), "veh-1"), // 38.5 kg net, billable
        lift(1, kg(250, 200, true, false), "veh-1"), // 5.0 kg: below Min
        lift(2, kg(585, 200, false, false), "veh-1"), // not stable
        lift(3, kg(585, 200, true, true), "veh-1"), // tilted
        lift(4, null, "=HYPERLINK(\"x\")")); // not weighed, hostile vehicle id
  }

  @Test
  void csv_liftsWithBillableAndNotBillableWeighings_rowsSayWhich() throws Exception {
    StringWriter out = new StringWriter();
    PaytExport x = new PaytExport(PaytExport.Format.CSV, out);
    for (StoredLift l : lifts()) {
      x.write(LiftRow.of(l));
    }

    String[] lines = out.toString().split("\r\n");
    assertThat(x.rows()).isEqualTo(5);
    assertThat(lines).hasSize(6);
    assertThat(lines[0]).isEqualTo(String.join(",", LiftRow.COLUMNS));
    assertThat(lines[1])
        .contains(",kg,58.5,20.0,38.5,10.0,true,false,false,false,true,,")
        .contains(",city/truck-1/0,100," + ROOT.toHex());
    assertThat(lines[2]).contains(",5.0,10.0,true,true,false,false,false,below_min,");
    assertThat(lines[3]).contains(",false,not_stable,");
    assertThat(lines[4]).contains(",false,tilted,");
    assertThat(lines[5])
        .contains(",\"'=HYPERLINK(\"\"x\"\")\",")
        .contains(",,,,,,,,,false,not_weighed,");
  }

  @Test
  void jsonLines_sameLifts_oneObjectPerRowWithNumbers() throws Exception {
    StringWriter out = new StringWriter();
    PaytExport x = new PaytExport(PaytExport.Format.JSONL, out);
    for (StoredLift l : lifts()) {
      x.write(LiftRow.of(l));
    }

    List<JsonNode> rows = out.toString().lines().map(s -> readTree(s)).toList();
    assertThat(rows).hasSize(5);
    JsonNode first = rows.get(0);
    assertThat(first.get("bin").asText()).isEqualTo(SyntheticLifts.binTag(7).toHex());
    assertThat(first.get("net").decimalValue()).isEqualByComparingTo("38.5");
    assertThat(first.get("billable_by_weight").asBoolean()).isTrue();
    assertThat(first.get("evidence").asText()).isEqualTo("city/truck-1/0");
    assertThat(first.get("checkpoint_size").asLong()).isEqualTo(100);
    assertThat(rows.get(1).get("not_billable_reasons").asText()).isEqualTo("below_min");
    assertThat(rows.get(4).get("net").isNull()).isTrue();
    assertThat(rows.get(4).get("vehicle").asText()).isEqualTo("=HYPERLINK(\"x\")");
    assertThat(first.fieldNames()).toIterable().containsExactlyElementsOf(LiftRow.COLUMNS);
  }

  @Test
  void row_belowMinByNumbersWithoutTheDeviceFlag_isStillNotBillable() {
    Weighing lying =
        new Weighing(WeightUnit.KG, 1, 250, 200, 5, 100, 3000, true, false, false, false);

    LiftRow r = LiftRow.of(lift(9, lying, "veh-1"));

    assertThat(r.get("below_min")).isEqualTo(true);
    assertThat(r.get("billable_by_weight")).isEqualTo(false);
  }

  private static JsonNode readTree(String s) {
    try {
      return new ObjectMapper().readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
