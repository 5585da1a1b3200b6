package io.haulproof.agent.lift;

/** Tag technology of a container id (ISO 11784/11785 LF or UHF EPC Gen2). */
public enum TagTechnology {
  FDX_B,
  HDX,
  UHF_EPC,
  /** Entered by the crew from the route list, not read from a tag. */
  MANUAL
}
