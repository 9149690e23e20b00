package org.coordinatool.mover.shim;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Unix socket for the shim: accepts control and notice connections, decodes their
 * messages and writes the agent's frames, all on one selector thread. Messages are handed to the
 * listener on the agent's executor in the order they were read, so the agent sees a notice
 * written before a copytool exited before it learns of the exit (see {@link #drain}).
 */
public final class ShimServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShimServer.class);
    private static final int READ_BUFFER_SIZE = 64 * 1024;
    /** -EPROTONOSUPPORT: the answer to a REGISTER of another protocol version. */
    private static final int EPROTONOSUPPORT = 93;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final PeerCheck peers;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Executor events;
    private final ShimListener listener;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<ShimConnection> connections = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
    private final Thread thread;
    private long nextId = 1;
    private volatile boolean running = true;

    private ShimServer(Path path, PeerCheck peers, ServerSocketChannel server, Selector selector, Executor events,
                       ShimListener listener) {
        this.path = path;
        this.peers = peers;
        this.server = server;
        this.selector = selector;
        this.events = events;
        this.listener = listener;
        this.thread = new Thread(this::run, "shim-server");
        thread.setDaemon(true);
    }

    /**
     * Listens on {@code path}, which must not exist; the caller keeps its directory private. The
     * socket is made readable and writable by its owner only, and connections from processes of
     * another user (root excepted) are closed as soon as they are accepted. Listener calls run on
     * {@code events}.
     */
    public static ShimServer open(Path path, Executor events, ShimListener listener) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, OWNER_ONLY);
            PeerCheck peers = PeerCheck.forSocket(path);
            server.configureBlocking(false);
            Selector selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            ShimServer s = new ShimServer(path, peers, server, selector, events, listener);
            s.thread.start();
            return s;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Queues a frame for the connection; {@code onFailure} runs on the executor if it cannot be written entirely. */
    public void send(ShimConnection c, byte[] frame, Runnable onFailure) {
        post(() -> {
            if (c.closed) {
                events.execute(onFailure);
                return;
            }
            c.writes.add(new ShimConnection.PendingWrite(ByteBuffer.wrap(frame), onFailure));
            flush(c);
        });
    }

    /** Closes the connection once everything queued for it is written. */
    public void closeAfterFlush(ShimConnection c) {
        post(() -> {
            c.closeAfterFlush = true;
            flush(c);
        });
    }

    /**
     * Accepts every pending connection and reads whatever every connection has received, then
     * runs {@code then} on the executor, after the listener calls for what was read. Called when
     * a copytool process has exited: everything it sent is in the kernel's buffers by then.
     */
    public void drain(Runnable then) {
        post(() -> {
            acceptAll();
            for (ShimConnection c : new ArrayList<>(connections)) {
                read(c);
            }
            events.execute(then);
        });
    }

    private void post(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        try {
            while (running) {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                        continue;
                    }
                    ShimConnection c = (ShimConnection) key.attachment();
                    if (key.isWritable()) {
                        flush(c);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(c);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.error("the shim socket failed; copytools can no longer reach the agent", e);
            }
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.warn("accepting a shim connection failed: {}", e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            if (!admitted(ch)) {
                closeQuietly(ch);
                continue;
            }
            ShimConnection c = new ShimConnection(nextId++, ch);
            try {
                ch.configureBlocking(false);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
            } catch (IOException e) {
                LOG.warn("cannot watch {}: {}", c, e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    private boolean admitted(SocketChannel ch) {
        UnixDomainPrincipal peer;
        try {
            peer = PeerCheck.peerOf(ch);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("refusing a shim connection whose credentials cannot be read: {}", e.toString());
            return false;
        }
        if (peers.allows(peer.user())) {
            return true;
        }
        LOG.warn("refusing a shim connection from user {} (group {}): only the agent's user and root may connect",
                peer.user().getName(), peer.group().getName());
        return false;
    }

    private void read(ShimConnection c) {
        while (!c.closed && !c.closeAfterFlush) {
            int n;
            readBuffer.clear();
            try {
                n = c.channel.read(readBuffer);
            } catch (IOException e) {
                LOG.debug("{}: {}", c, e.getMessage());
                close(c);
                return;
            }
            if (n < 0) {
                if (c.decoder.inMessage()) {
                    LOG.warn("{} closed in the middle of a message", c);
                } else if (c.kind == ShimConnection.Kind.UNKNOWN) {
                    LOG.warn("{} closed without sending anything", c);
                }
                close(c);
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            try {
                while (readBuffer.hasRemaining() && !c.closed && !c.closeAfterFlush) {
                    ShimMessage m = c.decoder.next(readBuffer);
                    if (m != null) {
                        handle(c, m, readBuffer.hasRemaining());
                    }
                }
            } catch (ShimProtocolException.UnsupportedVersion e) {
                LOG.error("{}: {}; refusing the registration", c, e.getMessage());
                c.writes.add(new ShimConnection.PendingWrite(
                        ByteBuffer.wrap(ShimProtocol.registerReply(-EPROTONOSUPPORT)), () -> { }));
                c.closeAfterFlush = true;
                flush(c);
            } catch (ShimProtocolException e) {
                LOG.warn("{}: protocol error: {}; closing it", c, e.getMessage());
                close(c);
            }
        }
    }

    private void handle(ShimConnection c, ShimMessage m, boolean moreBytes) throws ShimProtocolException {
        switch (c.kind) {
            case UNKNOWN -> {
                if (m instanceof ShimMessage.Register r) {
                    c.kind = ShimConnection.Kind.CONTROL;
                    c.pid = r.pid();
                    events.execute(() -> listener.registered(c, r));
                } else if (m instanceof ShimMessage.Begin b) {
                    notice(c, moreBytes);
                    events.execute(() -> listener.begun(b.key(), b.rc()));
                } else if (m instanceof ShimMessage.End e) {
                    notice(c, moreBytes);
                    events.execute(() -> listener.ended(e.key(), e.status()));
                } else {
                    throw new ShimProtocolException(m.getClass().getSimpleName().toUpperCase()
                            + " as the first message of a connection");
                }
            }
            case CONTROL -> {
                if (m instanceof ShimMessage.Recv r) {
                    events.execute(() -> listener.recv(c, r.bufferSize()));
                } else if (m instanceof ShimMessage.Reject r) {
                    events.execute(() -> listener.rejected(c, r.rc()));
                } else if (m instanceof ShimMessage.Unregister u) {
                    c.unregistered = true;
                    events.execute(() -> listener.unregistered(c, u.recvPending()));
                    close(c);
                } else {
                    throw new ShimProtocolException(m.getClass().getSimpleName().toUpperCase()
                            + " on a control connection");
                }
            }
            case NOTICE -> throw new ShimProtocolException("more than one message on a notice connection");
        }
    }

    /** A notice connection carries one message; the shim closes it right after writing. */
    private void notice(ShimConnection c, boolean moreBytes) {
        c.kind = ShimConnection.Kind.NOTICE;
        if (moreBytes) {
            LOG.warn("{}: bytes after its notice ignored", c);
        }
        close(c);
    }

    private void flush(ShimConnection c) {
        if (c.closed) {
            return;
        }
        try {
            while (!c.writes.isEmpty()) {
                ByteBuffer b = c.writes.peek().bytes();
                c.channel.write(b);
                if (b.hasRemaining()) {
                    c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                c.writes.poll();
            }
        } catch (IOException e) {
            LOG.debug("{}: write failed: {}", c, e.getMessage());
            close(c);
            return;
        }
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.closeAfterFlush) {
            close(c);
        }
    }

    private void close(ShimConnection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        connections.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        closeQuietly(c.channel);
        ShimConnection.PendingWrite w;
        while ((w = c.writes.poll()) != null) {
            events.execute(w.onFailure());
        }
        if (c.kind == ShimConnection.Kind.CONTROL && !c.unregistered) {
            events.execute(() -> listener.controlLost(c));
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing a shim connection: {}", e.getMessage());
        }
    }

    /** Stops listening, closes every connection and removes the socket file. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ShimConnection c : connections) {
            closeQuietly(c.channel);
        }
        connections.clear();
        try {
            selector.close();
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("closing the shim socket: {}", e.getMessage());
        }
    }
}
