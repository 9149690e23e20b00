package org.coordinatool.hsm;

import java.util.List;
import java.util.Objects;

/**
 * {@code struct hsm_action_list}: a batch of items for one archive id. {@code version} is kept as
 * received; checking it against {@link #HAL_VERSION} is the caller's decision (the library does not
 * do it either). {@code archiveId} is an unsigned 32-bit value carried in an int.
 */
public record HsmActionList(int version, long compoundId, long flags, int archiveId, String fsname,
                            List<HsmActionItem> items) {

    public static final int HAL_VERSION = 1;

    /** Fixed part of {@code struct hsm_action_list}, before the fsname. */
    public static final int HEADER_SIZE = 32;

    public HsmActionList {
        Objects.requireNonNull(fsname, "fsname");
        if (fsname.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("fsname must not contain NUL: " + fsname.replace("\0", "\\0"));
        }
        items = List.copyOf(items);
    }

    /** A current-format list: version {@value #HAL_VERSION}, compound id 0 (what MDTs send today). */
    public HsmActionList(long flags, int archiveId, String fsname, List<HsmActionItem> items) {
        this(HAL_VERSION, 0, flags, archiveId, fsname, items);
    }

    public boolean hasSupportedVersion() {
        return version == HAL_VERSION;
    }

    public int count() {
        return items.size();
    }

    public long archiveIdUnsigned() {
        return Integer.toUnsignedLong(archiveId);
    }
}
