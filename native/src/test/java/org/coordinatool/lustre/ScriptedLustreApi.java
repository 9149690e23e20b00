package org.coordinatool.lustre;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.LongLongByReference;
import jnr.ffi.byref.PointerByReference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for liblustreapi that returns scripted results and records its arguments, to check
 * how the facade maps calls and return codes without a Lustre library.
 */
final class ScriptedLustreApi implements LustreApi {

    final Runtime runtime = Runtime.getSystemRuntime();
    final Pointer copytoolHandle = Memory.allocateDirect(runtime, 40);
    final Pointer actionHandle = Memory.allocateDirect(runtime, 368);
    final Pointer recvBuffer = Memory.allocateDirect(runtime, 1 << 16);
    final List<String> calls = new ArrayList<>();

    int registerRc;
    int unregisterRc;
    int recvRc;
    int recvMsgsize;
    boolean recvNullHal;
    int getFdRc = 7;
    int beginRc;
    int progressRc;
    int endRc;
    int actionGetFdRc = 9;
    int getDfidRc;
    byte[] dfidOut = new byte[16];
    int searchFsnameRc;
    String fsnameOut = "lustre";
    int fid2pathRc;
    String pathOut = "d1/f1";
    int path2fidRc;
    byte[] fidOut = new byte[16];
    int requestRc;
    int stateGetRc;
    byte[] stateOut = new byte[32];

    String mnt;
    int archiveCount;
    int[] archives;
    int rfdFlags;
    Pointer handleArg;
    byte[] hai;
    int restoreMdtIndex;
    int restoreOpenFlags;
    byte isError;
    byte[] extent;
    long total;
    int hpFlags;
    int errval;
    String pathArg;
    String fidstr;
    int pathlen;
    int bufferLength;
    byte[] request;
    int messageLevel = -1;

    @Override
    public int llapi_hsm_copytool_register(PointerByReference priv, String mnt, int archiveCount, int[] archives,
                                           int rfdFlags) {
        calls.add("register");
        this.mnt = mnt;
        this.archiveCount = archiveCount;
        this.archives = archives == null ? null : archives.clone();
        this.rfdFlags = rfdFlags;
        if (registerRc == 0) {
            set(priv, copytoolHandle);
        }
        return registerRc;
    }

    @Override
    public int llapi_hsm_copytool_unregister(PointerByReference priv) {
        calls.add("unregister");
        handleArg = priv.getValue();
        return unregisterRc;
    }

    @Override
    public int llapi_hsm_copytool_recv(Pointer ct, PointerByReference hal, IntByReference msgsize) {
        calls.add("recv");
        handleArg = ct;
        if (recvRc == 0) {
            set(hal, recvNullHal ? null : recvBuffer);
            Pointer cell = Memory.allocateDirect(runtime, 4);
            cell.putInt(0, recvMsgsize);
            msgsize.fromNative(runtime, cell, 0);
        }
        return recvRc;
    }

    @Override
    public int llapi_hsm_copytool_get_fd(Pointer ct) {
        calls.add("get_fd");
        handleArg = ct;
        return getFdRc;
    }

    @Override
    public int llapi_hsm_action_begin(PointerByReference phcp, Pointer ct, byte[] hai, int restoreMdtIndex,
                                      int restoreOpenFlags, byte isError) {
        calls.add("begin");
        handleArg = ct;
        this.hai = hai.clone();
        this.restoreMdtIndex = restoreMdtIndex;
        this.restoreOpenFlags = restoreOpenFlags;
        this.isError = isError;
        if (beginRc == 0) {
            set(phcp, actionHandle);
        }
        return beginRc;
    }

    @Override
    public int llapi_hsm_action_progress(Pointer hcp, byte[] extent, long total, int hpFlags) {
        calls.add("progress");
        handleArg = hcp;
        this.extent = extent.clone();
        this.total = total;
        this.hpFlags = hpFlags;
        return progressRc;
    }

    @Override
    public int llapi_hsm_action_end(PointerByReference phcp, byte[] extent, int hpFlags, int errval) {
        calls.add("end");
        handleArg = phcp.getValue();
        this.extent = extent.clone();
        this.hpFlags = hpFlags;
        this.errval = errval;
        return endRc;
    }

    @Override
    public int llapi_hsm_action_get_fd(Pointer hcp) {
        calls.add("action_get_fd");
        handleArg = hcp;
        return actionGetFdRc;
    }

    @Override
    public int llapi_hsm_action_get_dfid(Pointer hcp, byte[] fid) {
        calls.add("get_dfid");
        handleArg = hcp;
        System.arraycopy(dfidOut, 0, fid, 0, 16);
        return getDfidRc;
    }

    @Override
    public int llapi_search_fsname(String pathname, byte[] fsname) {
        calls.add("search_fsname");
        pathArg = pathname;
        bufferLength = fsname.length;
        copyCString(fsnameOut, fsname);
        return searchFsnameRc;
    }

    @Override
    public int llapi_fid2path(String pathOrDevice, String fidstr, byte[] path, int pathlen,
                              LongLongByReference recno, IntByReference linkno) {
        calls.add("fid2path");
        pathArg = pathOrDevice;
        this.fidstr = fidstr;
        this.pathlen = pathlen;
        bufferLength = path.length;
        copyCString(pathOut, path);
        return fid2pathRc;
    }

    @Override
    public int llapi_path2fid(String path, byte[] fid) {
        calls.add("path2fid");
        pathArg = path;
        System.arraycopy(fidOut, 0, fid, 0, 16);
        return path2fidRc;
    }

    @Override
    public int llapi_hsm_request(String path, byte[] request) {
        calls.add("request");
        pathArg = path;
        this.request = request.clone();
        return requestRc;
    }

    @Override
    public int llapi_hsm_state_get(String path, byte[] hus) {
        calls.add("state_get");
        pathArg = path;
        bufferLength = hus.length;
        System.arraycopy(stateOut, 0, hus, 0, stateOut.length);
        return stateGetRc;
    }

    @Override
    public void llapi_msg_set_level(int level) {
        calls.add("msg_set_level");
        messageLevel = level;
    }

    /** Stores through an out-pointer the way the C library writes {@code *priv}. */
    private void set(PointerByReference ref, Pointer value) {
        Pointer cell = Memory.allocateDirect(runtime, 8);
        cell.putAddress(0, value == null ? 0 : value.address());
        ref.fromNative(runtime, cell, 0);
    }

    private static void copyCString(String s, byte[] out) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, out, 0, b.length);
        out[b.length] = 0;
    }
}
