package io.haulproof.agent.provision;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * Object identifiers Haulproof puts into its certificates.
 *
 * <p>They live under a UUID-based arc ({@code 2.25.<uuid>}, ITU-T X.667 / RFC 9562 §4.3 style),
 * which needs no registration and cannot collide with anyone else's identifiers.
 */
public final class HaulproofOids {
  /** The project's arc: 2.25 followed by a random 128-bit UUID as an integer. */
  public static final ASN1ObjectIdentifier ARC =
      new ASN1ObjectIdentifier("2.25.67275572156871347853740993895476192132");

  /**
   * Extended key usage of a provisioning (technician/operator) key: may sign management requests.
   */
  public static final KeyPurposeId KP_PROVISIONING = KeyPurposeId.getInstance(ARC.branch("1.1"));

  /** Extended key usage of a device key: signs evidence and management responses of one device. */
  public static final KeyPurposeId KP_DEVICE = KeyPurposeId.getInstance(ARC.branch("1.2"));

  /**
   * Extended key usage of a PoAh authenticator key: may countersign blocks it verified
   * (io.haulproof .authenticator.Roles#AUTHENTICATOR).
   */
  public static final KeyPurposeId KP_AUTHENTICATOR = KeyPurposeId.getInstance(ARC.branch("1.3"));

  private HaulproofOids() {}
}
