package org.coordinatool.lustre;

import jnr.ffi.Pointer;
import jnr.ffi.byref.PointerByReference;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;

import java.nio.ByteBuffer;

/**
 * One action in progress ({@code struct hsm_copyaction_private}). It must be finished with
 * {@link #end}, which releases the library's handle whatever the outcome.
 */
public final class CopyAction {

    private final LustreApi api;
    private final HsmActionItem item;
    private Pointer handle;

    CopyAction(LustreApi api, HsmActionItem item, Pointer handle) {
        this.api = api;
        this.item = item;
        this.handle = handle;
    }

    public HsmActionItem item() {
        return item;
    }

    /**
     * Reports that {@code extent} has been copied; fails with ECANCELED once the request has been
     * cancelled (stop and {@link #end} it) and ENOENT when the coordinator forgot the cookie.
     */
    public void progress(HsmExtent extent, long total, int hpFlags) throws LustreException {
        LustreException.check(api.llapi_hsm_action_progress(live(), extentBytes(extent), total, hpFlags),
                "llapi_hsm_action_progress", context());
    }

    /** Ends the action with {@code errval} (0 for success, else a positive errno). */
    public void end(HsmExtent extent, int hpFlags, int errval) throws LustreException {
        PointerByReference phcp = new PointerByReference(live());
        handle = null;
        LustreException.check(api.llapi_hsm_action_end(phcp, extentBytes(extent), hpFlags, errval),
                "llapi_hsm_action_end", context());
    }

    /** A duplicate of the data descriptor (ARCHIVE: the file, RESTORE: the volatile); the caller closes it. */
    public int dupFd() throws LustreException {
        return LustreException.check(api.llapi_hsm_action_get_fd(live()), "llapi_hsm_action_get_fd", context());
    }

    /** The FID data goes to or comes from: the volatile file's for RESTORE. */
    public Fid dataFid() throws LustreException {
        byte[] fid = new byte[Fid.SIZE];
        LustreException.check(api.llapi_hsm_action_get_dfid(live(), fid), "llapi_hsm_action_get_dfid", context());
        return HalCodec.getFid(ByteBuffer.wrap(fid).order(HalCodec.hostOrder().order()));
    }

    private static byte[] extentBytes(HsmExtent extent) {
        ByteBuffer b = ByteBuffer.allocate(HsmExtent.SIZE).order(HalCodec.hostOrder().order());
        HalCodec.putExtent(b, extent);
        return b.array();
    }

    private String context() {
        return item.fid() + " cookie 0x" + Long.toHexString(item.cookie());
    }

    private Pointer live() {
        if (handle == null) {
            throw new IllegalStateException("action on " + context() + " has already ended");
        }
        return handle;
    }
}
