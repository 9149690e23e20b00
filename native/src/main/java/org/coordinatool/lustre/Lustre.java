package org.coordinatool.lustre;

import jnr.ffi.byref.PointerByReference;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmUserRequest;
import org.coordinatool.hsm.HsmUserState;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Java view of liblustreapi: no pointers, no return codes. Every failing call throws a
 * {@link LustreException} naming the llapi function and the errno.
 */
public final class Lustre {

    /** Buffer size llapi assumes for fsname and path outputs. */
    public static final int PATH_MAX = 4096;

    /** {@code O_NONBLOCK} on Linux (same value on x86_64 and aarch64), for {@code rfd_flags}. */
    public static final int O_NONBLOCK = 0x800;

    /** Progress flags ({@code hp_flags}). */
    public static final int HP_FLAG_COMPLETED = 0x1;
    public static final int HP_FLAG_RETRY = 0x2;

    private final LustreApi api;

    public Lustre(LustreApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /** Binds to liblustreapi found by its default names. */
    public static Lustre load() {
        return new Lustre(LustreLibraryLoader.load());
    }

    /** Binds to the library at {@code pathOrName}. */
    public static Lustre load(String pathOrName) {
        return new Lustre(LustreLibraryLoader.load(pathOrName));
    }

    LustreApi api() {
        return api;
    }

    /** The name of the Lustre filesystem {@code path} lives on. */
    public String searchFsname(String path) throws LustreException {
        byte[] fsname = new byte[PATH_MAX];
        LustreException.check(api.llapi_search_fsname(path, fsname), "llapi_search_fsname", path);
        return cString(fsname);
    }

    /**
     * Registers this process as a copytool on {@code mountPoint} for {@code archives} (empty: all
     * archives). {@code rfdFlags} is applied to the message pipe, e.g. {@link #O_NONBLOCK}.
     */
    public Copytool registerCopytool(String mountPoint, int[] archives, int rfdFlags) throws LustreException {
        int[] ids = archives.clone();
        PointerByReference priv = new PointerByReference();
        LustreException.check(api.llapi_hsm_copytool_register(priv, mountPoint, ids.length, ids.length == 0 ? null : ids,
                rfdFlags), "llapi_hsm_copytool_register", mountPoint);
        return new Copytool(api, mountPoint, priv.getValue());
    }

    /** First path of {@code fid}, relative to the mount root without a leading slash ("/" for the root). */
    public String fid2path(String mountOrFsname, Fid fid) throws LustreException {
        byte[] path = new byte[PATH_MAX];
        LustreException.check(api.llapi_fid2path(mountOrFsname, fid.format(), path, path.length, null, null),
                "llapi_fid2path", mountOrFsname + ", " + fid);
        return cString(path);
    }

    public Fid path2fid(String path) throws LustreException {
        byte[] fid = new byte[Fid.SIZE];
        LustreException.check(api.llapi_path2fid(path, fid), "llapi_path2fid", path);
        return HalCodec.getFid(ByteBuffer.wrap(fid).order(HalCodec.hostOrder().order()));
    }

    /** Sends a user HSM request; {@code path} is any path inside the filesystem. */
    public void hsmRequest(String path, HsmUserRequest request) throws LustreException {
        LustreException.check(api.llapi_hsm_request(path, request.encode(HalCodec.hostOrder().order())),
                "llapi_hsm_request", path);
    }

    public HsmUserState hsmStateGet(String path) throws LustreException {
        byte[] hus = new byte[HsmUserState.SIZE];
        LustreException.check(api.llapi_hsm_state_get(path, hus), "llapi_hsm_state_get", path);
        return HsmUserState.decode(hus, HalCodec.hostOrder().order());
    }

    public void setMessageLevel(MessageLevel level) {
        api.llapi_msg_set_level(level.value());
    }

    /** Text up to the first NUL of a C output buffer. */
    static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}
