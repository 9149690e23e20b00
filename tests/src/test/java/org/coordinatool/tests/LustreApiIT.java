package org.coordinatool.tests;

import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.hsm.HsmStateFlag;
import org.coordinatool.hsm.HsmUserAction;
import org.coordinatool.hsm.HsmUserItem;
import org.coordinatool.hsm.HsmUserRequest;
import org.coordinatool.lustre.Copytool;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;
import org.coordinatool.lustre.MessageLevel;
import org.coordinatool.tests.support.Await;
import org.coordinatool.tests.support.ReceivingCopytool;
import org.coordinatool.tests.support.SimMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the simulated Lustre through the jnr-ffi binding exactly as the coordinator does on a
 * real filesystem: register as a copytool, receive action lists, report errors back, and checks
 * the coordinator's view of the outcome with {@code lsim}.
 */
class LustreApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String FSNAME = "jtest";
    private static final int ARCHIVE_ID = 2;

    /** NULs, bytes that are not UTF-8, and more than the five bytes listings show. */
    private static final byte[] DATA = {'a', 0, (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0, 'z', (byte) 0x80,
            0x7f, 0, 0, 1, 2, 3, (byte) 0xfe};

    @TempDir
    Path work;

    private SimMount mount;
    private Path mnt;
    private Lustre lustre;

    @BeforeEach
    void startFilesystem() {
        mount = SimMount.start(work.resolve("sim"), FSNAME);
        mnt = mount.root();
        lustre = Lustre.load();
        lustre.setMessageLevel(MessageLevel.ERROR);
    }

    @AfterEach
    void stopFilesystem() {
        mount.close();
    }

    @Test
    void anArchiveArrivesIntactAndAnErrorReportFailsIt() throws Exception {
        assertEquals(FSNAME, lustre.searchFsname(mnt.toString()));
        Path file = createFile("dir/f1");
        Fid fid = lustre.path2fid(file.toString());
        assertTrue(fid.seq() >= 0x200000400L, fid.toString());
        assertEquals("dir/f1", lustre.fid2path(mnt.toString(), fid));

        try (Copytool ct = lustre.registerCopytool(mnt.toString(), new int[] {ARCHIVE_ID}, Lustre.O_NONBLOCK)) {
            assertTrue(ct.fd() >= 0);
            requestArchive(file, fid);

            HsmActionList hal = receive(ct);
            assertEquals(1, hal.version());
            assertEquals(0, hal.compoundId());
            assertEquals(0, hal.flags());
            assertEquals(ARCHIVE_ID, hal.archiveId());
            assertEquals(FSNAME, hal.fsname());
            assertEquals(1, hal.count());
            HsmActionItem item = hal.items().get(0);
            assertEquals(Optional.of(HsmAction.ARCHIVE), item.action());
            assertEquals(fid, item.fid());
            assertEquals(fid, item.dfid());
            assertEquals(HsmExtent.WHOLE_FILE, item.extent());
            assertEquals(0, item.gid());
            assertNotEquals(0, item.cookie());
            assertArrayEquals(DATA, item.data());

            ActiveRequest active = activeRequest(item.cookie())
                    .orElseThrow(() -> new AssertionError("cookie not in active_requests"));
            assertEquals(HsmAction.ARCHIVE, active.action());
            assertEquals(fid, active.fid());
            assertEquals(ARCHIVE_ID, active.archiveId());
            assertArrayEquals(Arrays.copyOf(DATA, 5), active.data());

            ct.reportError(item, Errno.EIO.code());

            awaitStatus(item.cookie(), "ARCHIVE", "FAILED");
            assertEquals(Optional.empty(), activeRequest(item.cookie()));
            assertFalse(lustre.hsmStateGet(file.toString()).has(HsmStateFlag.ARCHIVED));
        }
    }

    @Test
    void dataGivenToLfsArrivesIntact() throws Exception {
        Path file = createFile("with-data");
        String data = "cr=report01,tag=n1 spaces kept";
        try (ReceivingCopytool ct = new ReceivingCopytool(lustre, mnt.toString(), ARCHIVE_ID)) {
            mount.lfs("hsm_archive", "-a", String.valueOf(ARCHIVE_ID), "--data", data, file.toString())
                    .requireOk();
            HsmActionItem item = ct.items(1, DEADLINE).get(0);
            assertEquals(lustre.path2fid(file.toString()), item.fid());
            assertArrayEquals(data.getBytes(StandardCharsets.UTF_8), item.data());
            assertEquals(72 + data.length(), item.haiLength());
        }
    }

    @Test
    void aCancelledArchiveIsAnsweredWithEcanceled() throws Exception {
        Path file = createFile("f2");
        Fid fid = lustre.path2fid(file.toString());

        // No archive list: registered for every archive (the library gets a NULL list).
        try (Copytool ct = lustre.registerCopytool(mnt.toString(), new int[0], Lustre.O_NONBLOCK)) {
            requestArchive(file, fid);
            HsmActionItem archive = receive(ct).items().get(0);

            lustre.hsmRequest(file.toString(), new HsmUserRequest(HsmUserAction.CANCEL, 0, 0,
                    List.of(HsmUserItem.wholeFile(fid)), new byte[0]));
            HsmActionList cancelList = receive(ct);
            assertEquals(1, cancelList.count());
            HsmActionItem cancel = cancelList.items().get(0);
            assertEquals(Optional.of(HsmAction.CANCEL), cancel.action());
            assertEquals(archive.cookie(), cancel.cookie());
            assertEquals(fid, cancel.fid());
            assertEquals(ARCHIVE_ID, cancelList.archiveId());

            ct.reportError(cancel, Errno.ECANCELED.code());

            awaitStatus(archive.cookie(), "CANCEL", "SUCCEED");
            assertEquals("CANCELED", status(archive.cookie(), "ARCHIVE"));
            assertEquals(Optional.empty(), activeRequest(archive.cookie()));
        }
    }

    @Test
    void operationsOnAPathOutsideLustreFailWithTheirErrno() throws Exception {
        Path outside = Files.createFile(work.resolve("plain"));
        LustreException e = assertThrows(LustreException.class,
                () -> lustre.registerCopytool(work.toString(), new int[0], 0));
        assertEquals("llapi_hsm_copytool_register", e.function());
        assertTrue(e.errno() > 0);
        LustreException s = assertThrows(LustreException.class,
                () -> lustre.searchFsname(outside.toString()));
        assertEquals("llapi_search_fsname", s.function());
        assertTrue(s.is(Errno.ENODEV), s.getMessage());
    }

    private Path createFile(String relative) throws IOException {
        Path file = mnt.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, "some file content\n".getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    private void requestArchive(Path file, Fid fid) throws LustreException {
        lustre.hsmRequest(file.toString(), new HsmUserRequest(HsmUserAction.ARCHIVE, ARCHIVE_ID, 0,
                List.of(HsmUserItem.wholeFile(fid)), DATA));
    }

    /** The next action list; the pipe is non-blocking, so an empty pipe answers EAGAIN until it arrives. */
    private static HsmActionList receive(Copytool ct) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                return ct.recv();
            } catch (LustreException e) {
                if (!e.is(Errno.EAGAIN) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private Optional<ActiveRequest> activeRequest(long cookie) {
        return mount.activeRequests().stream().filter(r -> r.cookie() == cookie).findFirst();
    }

    /** status= of the action-log record with this cookie and action, null if there is none. */
    private String status(long cookie, String action) {
        String wantedCookie = "/0x" + Long.toHexString(cookie) + " ";
        for (String line : mount.actions()) {
            if (line.contains(wantedCookie) && line.contains(" action=" + action + " ")) {
                int at = line.indexOf(" status=") + " status=".length();
                return line.substring(at, line.indexOf(' ', at));
            }
        }
        return null;
    }

    private void awaitStatus(long cookie, String action, String expected) {
        Await.value(DEADLINE, action + " record of cookie 0x" + Long.toHexString(cookie) + " " + expected,
                () -> status(cookie, action), expected::equals);
    }
}
