/**
 * {@code haulproof doctor}: a technician's self-check of an installed gateway, one plain line per
 * check.
 *
 * <p>Each check is one class; {@link io.haulproof.agent.doctor.Doctor} runs them in order. Checks
 * only read: they open ports and files without writing, and never unlock the device key.
 */
package io.haulproof.agent.doctor;
