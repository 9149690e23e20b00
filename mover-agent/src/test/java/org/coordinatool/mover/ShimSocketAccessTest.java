package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.hsm.Fid;
import org.coordinatool.mover.shim.ShimConnection;
import org.coordinatool.mover.shim.ShimListener;
import org.coordinatool.mover.shim.ShimMessage;
import org.coordinatool.mover.shim.ShimServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who can reach the agent's shim socket: the permissions of the directory and the socket, and
 * the check of the connecting process's user, with real processes of another user when the test
 * runs as root (setpriv switches a perl client to the user nobody).
 */
class ShimSocketAccessTest {

    private static final int NOBODY = 65534;
    private static final Fid DFID = new Fid(0x200000401L, 1, 0);
    /** Connects, writes the frame given in hex, reads until the agent closes; says how it went. */
    private static final String PERL_CLIENT = """
            use IO::Socket::UNIX;
            $SIG{PIPE} = 'IGNORE';
            my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0])
                or do { print "connect: $!\\n"; exit 2 };
            syswrite($s, pack("H*", $ARGV[1]));
            my $buf;
            while (sysread($s, $buf, 4096)) { }
            print "closed\\n";
            """;

    @TempDir
    Path tmp;

    private final BlockingQueue<ItemKey> ended = new LinkedBlockingQueue<>();
    /** Closed last first. */
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ShimServer listen(Path socket) throws IOException {
        ShimServer server = ShimServer.open(socket, Runnable::run, new Recorder());
        open.push(server);
        return server;
    }

    @Test
    void theSocketAndItsDirectoryAreTheOwnersOnly() throws Exception {
        SocketDirectory dir = SocketDirectory.create(tmp);
        open.push(dir);
        listen(dir.socket());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.socket().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.socket())));
    }

    @Test
    void anotherUserCannotEvenReachTheSocket() throws Exception {
        assumeRootWithSetpriv();
        Path parent = Files.createTempDirectory(Path.of("/tmp"), "shim-access.",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        open.push(() -> Files.deleteIfExists(parent));
        SocketDirectory dir = SocketDirectory.create(parent);
        open.push(dir);
        listen(dir.socket());
        String out = perl(NOBODY, dir.socket(), end(1));
        assertTrue(out.startsWith("connect: Permission denied"), out);
    }

    @Test
    void anotherUsersConnectionIsClosedEvenWhenTheSocketIsReachable() throws Exception {
        assumeRootWithSetpriv();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "shim-access.",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = dir.resolve("agent.sock");
        open.push(() -> Files.deleteIfExists(dir));
        ShimServer server = listen(socket);
        open.push(() -> Files.deleteIfExists(socket));
        // Opened up on purpose: only the credential check stands in the way now.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertEquals("closed\n", perl(NOBODY, socket, end(1)));
        drain(server);
        assertNull(ended.poll(), "a notice from another user was taken");

        assertEquals("closed\n", perl(0, socket, end(2)));
        assertEquals(new ItemKey(2, DFID), ended.poll(10, TimeUnit.SECONDS));
    }

    private static String end(long cookie) {
        return HexFormat.of().formatHex(ScriptedShim.noticeFrame(6, cookie, DFID, 0));
    }

    private static void drain(ShimServer server) throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        server.drain(drained::countDown);
        assertTrue(drained.await(10, TimeUnit.SECONDS));
    }

    private static void assumeRootWithSetpriv() throws IOException {
        assumeTrue("0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))),
                "switching to another user needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed");
    }

    /** Runs the perl client as {@code uid} and returns what it printed. */
    private static String perl(int uid, Path socket, String frameHex) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                "/usr/bin/perl", "-e", PERL_CLIENT, socket.toString(), frameHex)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "perl client did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private final class Recorder implements ShimListener {
        @Override
        public void registered(ShimConnection connection, ShimMessage.Register register) {
        }

        @Override
        public void recv(ShimConnection connection, long bufferSize) {
        }

        @Override
        public void rejected(ShimConnection connection, int rc) {
        }

        @Override
        public void unregistered(ShimConnection connection, boolean recvPending) {
        }

        @Override
        public void controlLost(ShimConnection connection) {
        }

        @Override
        public void begun(ItemKey key, int rc) {
        }

        @Override
        public void ended(ItemKey key, int status) {
            ended.add(key);
        }
    }
}
