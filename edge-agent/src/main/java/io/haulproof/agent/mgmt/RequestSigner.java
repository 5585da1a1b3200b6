package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.cose.CoseSign1;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The technician's side of a management request: builds the payload and signs it with a
 * provisioning key.
 */
public final class RequestSigner {
  private final OperatorCredentials operator;
  private final Clock clock;

  public RequestSigner(OperatorCredentials operator, Clock clock) {
    this.operator = operator;
    this.clock = clock;
  }

  /**
   * A signed request (COSE_Sign1 bytes) valid from now for {@code lifetime}, with the next version.
   */
  public Bytes sign(MgmtOp op, DeviceRef target, Map<String, CborValue> params, Duration lifetime)
      throws IOException {
    Instant now = clock.instant();
    MgmtRequest req =
        new MgmtRequest(
            op.wire(),
            target,
            operator.nextVersion(clock),
            now,
            now.plus(lifetime),
            Certificates.der(operator.certificate()),
            params);
    return sign(req);
  }

  /** Signs an already built request as is (tests use it to build forgeries). */
  public Bytes sign(MgmtRequest req) {
    return CoseSign1.sign(operator.key(), req.encode()).encoded();
  }
}
