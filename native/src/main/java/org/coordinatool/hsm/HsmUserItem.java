package org.coordinatool.hsm;

import java.util.Objects;

/** {@code struct hsm_user_item}: one file of a user request. */
public record HsmUserItem(Fid fid, HsmExtent extent) {

    public static final int SIZE = 32;

    public HsmUserItem {
        Objects.requireNonNull(fid, "fid");
        Objects.requireNonNull(extent, "extent");
    }

    public static HsmUserItem wholeFile(Fid fid) {
        return new HsmUserItem(fid, HsmExtent.WHOLE_FILE);
    }
}
