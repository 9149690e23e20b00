package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.hsm.Fid;

/**
 * The shim's side of the protocol, written independently of the agent's codec from
 * preload-shim/PROTOCOL.md, over the agent's real Unix socket.
 */
final class ScriptedShim implements AutoCloseable {

    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final int MAGIC = 0x48535443;
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A message from the agent; type 0 = the agent closed the connection. */
    record Frame(int type, byte[] payload) {
        int rc() {
            return ByteBuffer.wrap(payload).order(ORDER).getInt();
        }
    }

    private final SocketChannel channel;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    private ScriptedShim(SocketChannel channel) {
        this.channel = channel;
        Thread reader = new Thread(this::readLoop, "scripted-shim");
        reader.setDaemon(true);
        reader.start();
    }

    static ScriptedShim connect(Path socket) throws IOException {
        return new ScriptedShim(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /** Connects, registers and expects the reply; returns its rc. */
    static ScriptedShim register(Path socket, long pid, List<Integer> archives, String fsname) throws Exception {
        ScriptedShim s = connect(socket);
        s.sendRegister(1, (int) pid, archives, "/mnt/" + fsname, fsname);
        Frame reply = s.next();
        assertEquals(101, reply.type(), "REGISTER_REPLY expected");
        assertEquals(0, reply.rc(), "registration refused");
        return s;
    }

    void sendRegister(int version, int pid, List<Integer> archives, String mnt, String fsname) throws IOException {
        byte[] m = (mnt + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] f = (fsname + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = ByteBuffer.allocate(12 + 4 * archives.size() + m.length + f.length).order(ORDER);
        p.putInt(pid).putInt(0).putInt(archives.size());
        archives.forEach(p::putInt);
        p.put(m).put(f);
        write(frame(version, 1, p.array()));
    }

    void recv(int bufferSize) throws IOException {
        write(frame(1, 2, int32(bufferSize)));
    }

    void reject(int rc) throws IOException {
        write(frame(1, 3, int32(rc)));
    }

    void unregister(boolean recvPending) throws IOException {
        write(frame(1, 4, int32(recvPending ? 1 : 0)));
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next message from the agent, waiting at most {@link #WAIT}. */
    Frame next() throws InterruptedException {
        Frame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(f, "nothing from the agent within " + WAIT);
        return f;
    }

    /** The next message, which must be an ACTION_LIST; returns its hal bytes. */
    byte[] nextActionList() throws InterruptedException {
        Frame f = next();
        assertEquals(102, f.type(), "ACTION_LIST expected");
        return f.payload();
    }

    /** A BEGIN (5) or END (6) on a connection of its own, as the shim sends it. */
    static void notice(Path socket, int type, long cookie, Fid dfid, int value) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(noticeFrame(type, cookie, dfid, value));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** The bytes of a BEGIN (5) or END (6). */
    static byte[] noticeFrame(int type, long cookie, Fid dfid, int value) {
        ByteBuffer p = ByteBuffer.allocate(28).order(ORDER);
        p.putLong(cookie).putLong(dfid.seq()).putInt(dfid.oid()).putInt(dfid.ver()).putInt(value);
        return frame(1, type, p.array());
    }

    static void end(Path socket, long cookie, Fid dfid, int status) throws IOException {
        notice(socket, 6, cookie, dfid, status);
    }

    static byte[] frame(int version, int type, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).order(ORDER).putInt(MAGIC).putShort((short) version)
                .putShort((short) type).putInt(payload.length).putInt(0).put(payload).array();
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ORDER).putInt(v).array();
    }

    private void readLoop() {
        ByteBuffer header = ByteBuffer.allocate(16).order(ORDER);
        try {
            while (true) {
                header.clear();
                if (!fill(header)) {
                    break;
                }
                header.flip();
                assertEquals(MAGIC, header.getInt());
                assertEquals(1, header.getShort());
                int type = header.getShort();
                int length = header.getInt();
                ByteBuffer payload = ByteBuffer.allocate(length);
                if (!fill(payload)) {
                    break;
                }
                frames.add(new Frame(type, payload.array()));
            }
        } catch (IOException e) {
            // the agent closed the connection: reported below
        }
        frames.add(new Frame(0, new byte[0]));
    }

    private boolean fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
