package org.coordinatool.hsm;

/**
 * How data recovered from a text listing becomes {@code hai_data}. The original coordinatool
 * client sends it NUL-padded to a multiple of 8 bytes (it builds an aligned binary item and
 * encodes the whole data area), so agents and stores that compare data byte for byte see the
 * padded form; {@link #NONE} keeps exactly the bytes shown in the listing.
 */
public enum DataPadding {
    /** Exactly the bytes printed in {@code data=[...]}. */
    NONE,
    /** The printed bytes followed by NULs up to the next multiple of 8, as the original client sends. */
    NUL_TO_8;

    public byte[] apply(byte[] data) {
        if (this == NONE || data.length % 8 == 0) {
            return data.clone();
        }
        byte[] padded = new byte[(data.length + 7) & ~7];
        System.arraycopy(data, 0, padded, 0, data.length);
        return padded;
    }
}
