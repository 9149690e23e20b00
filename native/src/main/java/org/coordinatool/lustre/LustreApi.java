package org.coordinatool.lustre;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.LongLongByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * The liblustreapi functions used here, bound by jnr-ffi. Every function returns 0 (or a
 * non-negative value) on success and a negative errno on failure; errno itself is never looked
 * at, hence {@code @IgnoreError}. Structures go in and out as byte arrays in host byte order
 * (see {@link org.coordinatool.hsm.HalCodec}); paths are passed as UTF-8.
 * Use {@link Lustre} rather than calling this directly.
 */
public interface LustreApi {

    /** {@code int llapi_hsm_copytool_register(struct hsm_copytool_private **priv, const char *mnt, int archive_count, int *archives, int rfd_flags)} */
    @IgnoreError
    int llapi_hsm_copytool_register(PointerByReference priv, @Encoding("UTF-8") String mnt, int archiveCount,
                                    @In int[] archives, int rfdFlags);

    /** {@code int llapi_hsm_copytool_unregister(struct hsm_copytool_private **priv)} */
    @IgnoreError
    int llapi_hsm_copytool_unregister(PointerByReference priv);

    /** {@code int llapi_hsm_copytool_recv(struct hsm_copytool_private *ct, struct hsm_action_list **hal, int *msgsize)} */
    @IgnoreError
    int llapi_hsm_copytool_recv(Pointer ct, PointerByReference hal, IntByReference msgsize);

    /** {@code int llapi_hsm_copytool_get_fd(struct hsm_copytool_private *ct)} */
    @IgnoreError
    int llapi_hsm_copytool_get_fd(Pointer ct);

    /**
     * {@code int llapi_hsm_action_begin(struct hsm_copyaction_private **phcp, const struct hsm_copytool_private *ct,
     * const struct hsm_action_item *hai, int restore_mdt_index, int restore_open_flags, bool is_error)};
     * {@code is_error} is a 1-byte C99 {@code _Bool}: pass 0 or 1.
     */
    @IgnoreError
    int llapi_hsm_action_begin(PointerByReference phcp, Pointer ct, @In byte[] hai, int restoreMdtIndex,
                               int restoreOpenFlags, byte isError);

    /** {@code int llapi_hsm_action_progress(struct hsm_copyaction_private *hcp, const struct hsm_extent *he, __u64 total, int hp_flags)} */
    @IgnoreError
    int llapi_hsm_action_progress(Pointer hcp, @In byte[] extent, long total, int hpFlags);

    /** {@code int llapi_hsm_action_end(struct hsm_copyaction_private **phcp, const struct hsm_extent *he, int hp_flags, int errval)} */
    @IgnoreError
    int llapi_hsm_action_end(PointerByReference phcp, @In byte[] extent, int hpFlags, int errval);

    /** {@code int llapi_hsm_action_get_fd(const struct hsm_copyaction_private *hcp)}: a dup the caller closes. */
    @IgnoreError
    int llapi_hsm_action_get_fd(Pointer hcp);

    /** {@code int llapi_hsm_action_get_dfid(const struct hsm_copyaction_private *hcp, struct lu_fid *fid)} */
    @IgnoreError
    int llapi_hsm_action_get_dfid(Pointer hcp, @Out byte[] fid);

    /** {@code int llapi_search_fsname(const char *pathname, char *fsname)}: fsname must hold PATH_MAX bytes. */
    @IgnoreError
    int llapi_search_fsname(@Encoding("UTF-8") String pathname, @Out byte[] fsname);

    /**
     * {@code int llapi_fid2path(const char *path_or_device, const char *fidstr, char *path, int pathlen,
     * long long *recno, int *linkno)}; recno and linkno may be null.
     */
    @IgnoreError
    int llapi_fid2path(@Encoding("UTF-8") String pathOrDevice, @Encoding("UTF-8") String fidstr, @Out byte[] path,
                       int pathlen, LongLongByReference recno, IntByReference linkno);

    /** {@code int llapi_path2fid(const char *path, struct lu_fid *fid)} */
    @IgnoreError
    int llapi_path2fid(@Encoding("UTF-8") String path, @Out byte[] fid);

    /** {@code int llapi_hsm_request(const char *path, const struct hsm_user_request *request)} */
    @IgnoreError
    int llapi_hsm_request(@Encoding("UTF-8") String path, @In byte[] request);

    /** {@code int llapi_hsm_state_get(const char *path, struct hsm_user_state *hus)} */
    @IgnoreError
    int llapi_hsm_state_get(@Encoding("UTF-8") String path, @Out byte[] hus);

    /** {@code void llapi_msg_set_level(int level)} */
    @IgnoreError
    void llapi_msg_set_level(int level);
}
