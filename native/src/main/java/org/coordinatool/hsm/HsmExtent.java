package org.coordinatool.hsm;

/** {@code struct hsm_extent}: both fields are unsigned 64-bit values carried in longs. */
public record HsmExtent(long offset, long length) {

    /** Lustre's "to the end of the file" length (all bits set). */
    public static final long LUSTRE_EOF = -1L;

    public static final HsmExtent WHOLE_FILE = new HsmExtent(0, LUSTRE_EOF);

    /** Size of {@code struct hsm_extent} in bytes. */
    public static final int SIZE = 16;

    public boolean isWholeFile() {
        return offset == 0 && length == LUSTRE_EOF;
    }

    /** The MDT listings' {@code %#llx-%#llx} form, e.g. {@code 0-0xffffffffffffffff}. */
    @Override
    public String toString() {
        return hex(offset) + "-" + hex(length);
    }

    static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }
}
