package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A management request whose signature, signer certificate, target and lifetime have been checked.
 *
 * @param request the decoded payload
 * @param op the known operation it asks for
 * @param signed the COSE_Sign1 bytes exactly as received, for the {@code config} log entry
 * @param issuer the kid of the provisioning key that signed it (derived from the signature, not
 *     from a field)
 * @param signer the signer's certificate, trusted by the pinned root and not revoked
 */
public record VerifiedRequest(
    MgmtRequest request, MgmtOp op, Bytes signed, Kid issuer, X509Certificate signer) {
  public VerifiedRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(signer, "signer");
  }
}
