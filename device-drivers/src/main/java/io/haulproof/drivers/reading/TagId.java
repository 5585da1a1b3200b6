package io.haulproof.drivers.reading;

/** The identity read from a bin tag: an ISO 11784 code (LF) or an EPC (UHF). */
public sealed interface TagId permits Iso11784Code, EpcCode, TirisCode {
  /** The raw identity as hex, as read (64-bit FDX-B code or EPC bytes). */
  String rawHex();
}
