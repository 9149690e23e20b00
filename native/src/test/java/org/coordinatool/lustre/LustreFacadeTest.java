package org.coordinatool.lustre;

import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HalFormatException;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.hsm.HsmStateFlag;
import org.coordinatool.hsm.HsmUserAction;
import org.coordinatool.hsm.HsmUserItem;
import org.coordinatool.hsm.HsmUserRequest;
import org.coordinatool.hsm.HsmUserState;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LustreFacadeTest {

    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final Fid FID = new Fid(0x200000401L, 0x2a, 0);

    private final ScriptedLustreApi api = new ScriptedLustreApi();
    private final Lustre lustre = new Lustre(api);

    private static HsmActionItem item(byte[] data) {
        return new HsmActionItem(HsmAction.ARCHIVE, FID, FID, new HsmExtent(0, 1 << 20), 0x5f3b2c11L, 0, data);
    }

    private Copytool registered() throws LustreException {
        Copytool ct = lustre.registerCopytool("/mnt/lustre", new int[] {1, 3}, Lustre.O_NONBLOCK);
        api.calls.clear();
        return ct;
    }

    private static byte[] extentBytes(HsmExtent e) {
        ByteBuffer b = ByteBuffer.allocate(16).order(HOST);
        b.putLong(e.offset()).putLong(e.length());
        return b.array();
    }

    @Test
    void registerPassesArchivesAndFlags() throws LustreException {
        Copytool ct = lustre.registerCopytool("/mnt/lustre", new int[] {1, 3}, Lustre.O_NONBLOCK);
        assertEquals("/mnt/lustre", api.mnt);
        assertEquals(2, api.archiveCount);
        assertArrayEquals(new int[] {1, 3}, api.archives);
        assertEquals(0x800, api.rfdFlags);
        assertEquals("/mnt/lustre", ct.mountPoint());
        assertEquals(7, ct.fd());
        assertEquals(api.copytoolHandle.address(), api.handleArg.address());
    }

    @Test
    void registerForAllArchivesPassesNoList() throws LustreException {
        lustre.registerCopytool("/mnt/lustre", new int[0], 0);
        assertEquals(0, api.archiveCount);
        assertNull(api.archives);
    }

    @Test
    void registerFailureCarriesFunctionAndErrno() {
        api.registerRc = -1;
        LustreException e = assertThrows(LustreException.class,
                () -> lustre.registerCopytool("/mnt/lustre", new int[] {1}, 0));
        assertEquals("llapi_hsm_copytool_register", e.function());
        assertEquals(1, e.errno());
        assertTrue(e.is(Errno.EPERM));
        assertEquals("llapi_hsm_copytool_register(/mnt/lustre): Operation not permitted (EPERM, errno 1)",
                e.getMessage());
    }

    @Test
    void recvCopiesTheListOutOfTheLibraryBuffer() throws LustreException {
        Copytool ct = registered();
        HsmActionList sent = new HsmActionList(0, 3, "lustre",
                List.of(item(new byte[] {0, (byte) 0xe9, 'x', 0}), item(new byte[0])));
        byte[] wire = HalCodec.hostOrder().encode(sent);
        api.recvBuffer.put(0, wire, 0, wire.length);
        api.recvMsgsize = wire.length;

        HsmActionList got = ct.recv();
        api.recvBuffer.put(0, new byte[wire.length], 0, wire.length);

        assertEquals(sent, got);
        assertEquals(List.of("recv"), api.calls);
        assertEquals(api.copytoolHandle.address(), api.handleArg.address());
    }

    @Test
    void recvErrorsKeepTheirErrno() throws LustreException {
        Copytool ct = registered();
        api.recvRc = -11;
        assertTrue(assertThrows(LustreException.class, ct::recv).is(Errno.EAGAIN));
        api.recvRc = -108;
        LustreException e = assertThrows(LustreException.class, ct::recv);
        assertTrue(e.is(Errno.ESHUTDOWN));
        assertEquals("llapi_hsm_copytool_recv", e.function());
    }

    @Test
    void aMalformedListIsAProtocolError() throws LustreException {
        Copytool ct = registered();
        api.recvBuffer.put(0, new byte[32], 0, 32);
        api.recvMsgsize = 20;
        LustreException e = assertThrows(LustreException.class, ct::recv);
        assertTrue(e.is(Errno.EPROTO));
        assertInstanceOf(HalFormatException.class, e.getCause());
        assertTrue(e.getMessage().contains("truncated hal header"), e.getMessage());
    }

    @Test
    void anImplausibleRecvResultIsAProtocolError() throws LustreException {
        Copytool ct = registered();
        api.recvMsgsize = Copytool.HAL_MAXSIZE + 1;
        assertTrue(assertThrows(LustreException.class, ct::recv).is(Errno.EPROTO));
        api.recvMsgsize = 40;
        api.recvNullHal = true;
        assertTrue(assertThrows(LustreException.class, ct::recv).is(Errno.EPROTO));
    }

    @Test
    void reportErrorBeginsAsErrorAndEndsCompleted() throws LustreException {
        Copytool ct = registered();
        HsmActionItem item = item(new byte[] {'a', 0, 'b'});
        ct.reportError(item, 125);

        assertEquals(List.of("begin", "end"), api.calls);
        assertArrayEquals(HalCodec.hostOrder().encodeItem(item), api.hai);
        assertEquals(-1, api.restoreMdtIndex);
        assertEquals(0, api.restoreOpenFlags);
        assertEquals(1, api.isError);
        assertArrayEquals(extentBytes(item.extent()), api.extent);
        assertEquals(Lustre.HP_FLAG_COMPLETED, api.hpFlags);
        assertEquals(125, api.errval);
        assertEquals(api.actionHandle.address(), api.handleArg.address());
    }

    @Test
    void reportErrorStopsWhenBeginFails() throws LustreException {
        Copytool ct = registered();
        api.beginRc = -2;
        LustreException e = assertThrows(LustreException.class, () -> ct.reportError(item(new byte[0]), 125));
        assertEquals("llapi_hsm_action_begin", e.function());
        assertTrue(e.getMessage().contains("[0x200000401:0x2a:0x0] cookie 0x5f3b2c11"), e.getMessage());
        assertEquals(List.of("begin"), api.calls);
    }

    @Test
    void reportErrorSurfacesEndFailures() throws LustreException {
        Copytool ct = registered();
        api.endRc = -125;
        LustreException e = assertThrows(LustreException.class, () -> ct.reportError(item(new byte[0]), 125));
        assertEquals("llapi_hsm_action_end", e.function());
        assertTrue(e.is(Errno.ECANCELED));
    }

    @Test
    void reportErrorNeedsARealErrno() throws LustreException {
        Copytool ct = registered();
        assertThrows(IllegalArgumentException.class, () -> ct.reportError(item(new byte[0]), 0));
        assertEquals(List.of(), api.calls);
    }

    @Test
    void copyActionMapsEveryCall() throws LustreException {
        Copytool ct = registered();
        CopyAction action = ct.begin(item(new byte[0]), 2, 0x100);
        assertEquals(0, api.isError);
        assertEquals(2, api.restoreMdtIndex);
        assertEquals(0x100, api.restoreOpenFlags);

        HsmExtent done = new HsmExtent(0, 4096);
        action.progress(done, 1 << 20, 0);
        assertArrayEquals(extentBytes(done), api.extent);
        assertEquals(1 << 20, api.total);
        assertEquals(9, action.dupFd());

        Fid volatileFid = new Fid(0x200000402L, 0x1f, 0);
        ByteBuffer.wrap(api.dfidOut).order(HOST).putLong(volatileFid.seq()).putInt(volatileFid.oid()).putInt(0);
        assertEquals(volatileFid, action.dataFid());

        api.progressRc = -125;
        LustreException cancelled = assertThrows(LustreException.class, () -> action.progress(done, 1 << 20, 0));
        assertEquals("llapi_hsm_action_progress", cancelled.function());
        assertTrue(cancelled.is(Errno.ECANCELED));

        action.end(HsmExtent.WHOLE_FILE, Lustre.HP_FLAG_COMPLETED, 0);
        assertEquals(0, api.errval);
        assertEquals(api.actionHandle.address(), api.handleArg.address());
        assertEquals(List.of("begin", "progress", "action_get_fd", "get_dfid", "progress", "end"), api.calls);
        assertThrows(IllegalStateException.class, action::dupFd);
    }

    @Test
    void aFailedEndStillReleasesTheAction() throws LustreException {
        CopyAction action = registered().begin(item(new byte[0]), -1, 0);
        api.endRc = -2;
        assertThrows(LustreException.class, () -> action.end(HsmExtent.WHOLE_FILE, 0, 0));
        assertThrows(IllegalStateException.class, () -> action.end(HsmExtent.WHOLE_FILE, 0, 0));
        assertEquals(List.of("begin", "end"), api.calls);
    }

    @Test
    void closeUnregistersOnce() throws LustreException {
        Copytool ct = registered();
        ct.close();
        ct.close();
        assertEquals(List.of("unregister"), api.calls);
        assertEquals(api.copytoolHandle.address(), api.handleArg.address());
        assertThrows(IllegalStateException.class, ct::fd);
        assertThrows(IllegalStateException.class, ct::recv);
    }

    @Test
    void unregisterFailureIsReported() throws LustreException {
        Copytool ct = registered();
        api.unregisterRc = -22;
        LustreException e = assertThrows(LustreException.class, ct::close);
        assertEquals("llapi_hsm_copytool_unregister", e.function());
    }

    @Test
    void searchFsnameReadsTheNulTerminatedName() throws LustreException {
        assertEquals("lustre", lustre.searchFsname("/mnt/lustre/dir"));
        assertEquals("/mnt/lustre/dir", api.pathArg);
        assertEquals(Lustre.PATH_MAX, api.bufferLength);
        api.searchFsnameRc = -19;
        LustreException e = assertThrows(LustreException.class, () -> lustre.searchFsname("/tmp"));
        assertEquals("llapi_search_fsname(/tmp): No such device (ENODEV, errno 19)", e.getMessage());
    }

    @Test
    void fid2pathSendsTheBracketedFid() throws LustreException {
        assertEquals("d1/f1", lustre.fid2path("lustre", FID));
        assertEquals("[0x200000401:0x2a:0x0]", api.fidstr);
        assertEquals(Lustre.PATH_MAX, api.pathlen);
        assertEquals(Lustre.PATH_MAX, api.bufferLength);
        api.fid2pathRc = -2;
        assertTrue(assertThrows(LustreException.class, () -> lustre.fid2path("lustre", FID)).is(Errno.ENOENT));
    }

    @Test
    void path2fidDecodesTheFid() throws LustreException {
        ByteBuffer.wrap(api.fidOut).order(HOST).putLong(FID.seq()).putInt(FID.oid()).putInt(FID.ver());
        assertEquals(FID, lustre.path2fid("/mnt/lustre/f"));
        api.path2fidRc = -95;
        assertTrue(assertThrows(LustreException.class, () -> lustre.path2fid("/tmp/f")).is(Errno.EOPNOTSUPP));
    }

    @Test
    void hsmRequestSendsTheEncodedRequest() throws LustreException {
        HsmUserRequest request = new HsmUserRequest(HsmUserAction.ARCHIVE, 2, 0,
                List.of(HsmUserItem.wholeFile(FID)), new byte[] {0, (byte) 0xc3, 1});
        lustre.hsmRequest("/mnt/lustre/f", request);
        assertArrayEquals(request.encode(HOST), api.request);
        api.requestRc = -7;
        LustreException e = assertThrows(LustreException.class, () -> lustre.hsmRequest("/mnt/lustre/f", request));
        assertTrue(e.is(Errno.E2BIG));
    }

    @Test
    void hsmStateGetDecodesTheState() throws LustreException {
        ByteBuffer.wrap(api.stateOut).order(HOST).putInt(HsmStateFlag.EXISTS.bit() | HsmStateFlag.RELEASED.bit()
                | HsmStateFlag.ARCHIVED.bit()).putInt(4);
        HsmUserState state = lustre.hsmStateGet("/mnt/lustre/f");
        assertEquals(Set.of(HsmStateFlag.EXISTS, HsmStateFlag.RELEASED, HsmStateFlag.ARCHIVED), state.flags());
        assertEquals(4, state.archiveId());
        assertEquals(HsmUserState.SIZE, api.bufferLength);
        api.stateGetRc = -25;
        assertTrue(assertThrows(LustreException.class, () -> lustre.hsmStateGet("/tmp")).is(Errno.ENOTTY));
    }

    @Test
    void messageLevelIsPassedThrough() {
        lustre.setMessageLevel(MessageLevel.WARN);
        assertEquals(3, api.messageLevel);
    }

    @Test
    void unknownErrnosStillDescribeThemselves() {
        assertEquals("llapi_x: errno 200", new LustreException("llapi_x", "", 200).getMessage());
        assertEquals("Operation canceled (ECANCELED, errno 125)", Errno.describe(125));
        assertEquals(Errno.ECANCELED, Errno.fromCode(125));
        assertNull(Errno.fromCode(0));
        assertNull(Errno.fromCode(-5));
    }
}
