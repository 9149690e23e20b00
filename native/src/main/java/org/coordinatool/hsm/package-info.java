/**
 * The Lustre HSM user ABI as Java values: FIDs, action items and lists, user requests, their
 * exact binary layouts ({@link org.coordinatool.hsm.HalCodec}) and the MDT's
 * {@code active_requests} listing ({@link org.coordinatool.hsm.ActiveRequestsParser}).
 *
 * <p>Unsigned C fields are carried in Java's signed types of the same width and keep all their
 * bits. Action codes Lustre may add later are kept as raw ints in
 * {@link org.coordinatool.hsm.HsmActionItem} so that such an item can still be answered by
 * cookie instead of being lost while decoding.
 */
package org.coordinatool.hsm;
