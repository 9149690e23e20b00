package org.coordinatool.lustre;

import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HalFormatException;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;

import java.nio.ByteBuffer;

/**
 * A registered copytool ({@code struct hsm_copytool_private}). Like the C handle it is not
 * thread-safe: confine it to one thread (the receive buffer and the handle are shared state in
 * the library). Closing unregisters it.
 */
public final class Copytool implements AutoCloseable {

    /** {@code HAL_MAXSIZE}: the library's receive buffer, so no HAL can be larger. */
    public static final int HAL_MAXSIZE = 1 << 20;

    private final LustreApi api;
    private final String mountPoint;
    private Pointer handle;

    Copytool(LustreApi api, String mountPoint, Pointer handle) {
        this.api = api;
        this.mountPoint = mountPoint;
        this.handle = handle;
    }

    public String mountPoint() {
        return mountPoint;
    }

    /** The pipe to poll for incoming lists; owned by the library, do not close it. */
    public int fd() throws LustreException {
        return LustreException.check(api.llapi_hsm_copytool_get_fd(live()), "llapi_hsm_copytool_get_fd", mountPoint);
    }

    /**
     * Receives one action list, copied out of the library's buffer (which the next call reuses).
     * Fails with EAGAIN when nothing is pending on a non-blocking pipe, ESHUTDOWN when the
     * filesystem is being unmounted, and EPROTO when the list does not hold together.
     */
    public HsmActionList recv() throws LustreException {
        String fn = "llapi_hsm_copytool_recv";
        PointerByReference hal = new PointerByReference();
        IntByReference msgsize = new IntByReference();
        LustreException.check(api.llapi_hsm_copytool_recv(live(), hal, msgsize), fn, mountPoint);
        int size = msgsize.intValue();
        Pointer p = hal.getValue();
        if (p == null || size < 0 || size > HAL_MAXSIZE) {
            throw new LustreException(fn, mountPoint + ": implausible result (hal " + p + ", msgsize " + size + ")",
                    Errno.EPROTO.code());
        }
        byte[] message = new byte[size];
        p.get(0, message, 0, size);
        try {
            return HalCodec.hostOrder().decode(ByteBuffer.wrap(message));
        } catch (HalFormatException e) {
            throw new LustreException(fn, mountPoint + ": " + e.getMessage(), Errno.EPROTO.code(), e);
        }
    }

    /**
     * Tells the coordinator that {@code item} ended with {@code errno} without running it: an
     * action begun as an error and ended at once as completed, over the item's extent.
     */
    public void reportError(HsmActionItem item, int errno) throws LustreException {
        if (errno <= 0) {
            throw new IllegalArgumentException("an error report needs a positive errno, got " + errno);
        }
        CopyAction action = begin(item, -1, 0, true);
        action.end(item.extent(), Lustre.HP_FLAG_COMPLETED, errno);
    }

    /**
     * Starts processing {@code item}: opens the file for ARCHIVE/REMOVE, creates the volatile file
     * for RESTORE (on {@code restoreMdtIndex}, -1 for the default), and announces the start.
     */
    public CopyAction begin(HsmActionItem item, int restoreMdtIndex, int restoreOpenFlags) throws LustreException {
        return begin(item, restoreMdtIndex, restoreOpenFlags, false);
    }

    private CopyAction begin(HsmActionItem item, int restoreMdtIndex, int restoreOpenFlags, boolean isError)
            throws LustreException {
        PointerByReference phcp = new PointerByReference();
        byte[] hai = HalCodec.hostOrder().encodeItem(item);
        LustreException.check(api.llapi_hsm_action_begin(phcp, live(), hai, restoreMdtIndex, restoreOpenFlags,
                (byte) (isError ? 1 : 0)), "llapi_hsm_action_begin", item.fid() + " cookie 0x" + Long.toHexString(item.cookie()));
        return new CopyAction(api, item, phcp.getValue());
    }

    /** Unregisters the copytool; later calls on this object fail, a second close does nothing. */
    @Override
    public void close() throws LustreException {
        if (handle == null) {
            return;
        }
        PointerByReference priv = new PointerByReference(handle);
        handle = null;
        LustreException.check(api.llapi_hsm_copytool_unregister(priv), "llapi_hsm_copytool_unregister", mountPoint);
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("copytool on " + mountPoint + " is unregistered");
        }
        return handle;
    }
}
