package org.coordinatool.coordinator.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.security.AccessPolicy;
import org.coordinatool.coordinator.security.BindCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's TCP listener. Each connection's pipeline (TLS when configured) splits the
 * stream into JSON values, decodes them into commands, checks them against the connection's role
 * and encodes replies on Netty's I/O threads; the commands themselves are handled on the state
 * loop. Connections over {@code max_connections} get an error and are closed at once.
 */
public final class TcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    /** errno for a connection over the limit: EAGAIN ("Resource temporarily unavailable"). */
    static final int EAGAIN = 11;

    /**
     * @param host   address to bind (a name is resolved; empty = every local address)
     * @param port   port number or TCP service name
     * @param limits connections, unread replies and silence in the middle of a message
     */
    public record Options(String host, String port, int maxFrameBytes, ConnectionLimits limits) {
        public static final int BACKLOG = 128;

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(limits, "limits");
        }
    }

    /**
     * How connections are protected.
     *
     * @param tls      the server's TLS context; empty = plain TCP
     * @param access   which tokens guard which commands
     * @param settings what was configured, for the check that keeps an open port on loopback
     */
    public record Protection(Optional<SslContext> tls, AccessPolicy access, ServerSecurity settings) {

        /** The original's open protocol, which may only listen on loopback addresses. */
        public static final Protection NONE = new Protection(Optional.empty(), AccessPolicy.OPEN, ServerSecurity.NONE);

        public Protection {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(settings, "settings");
        }
    }

    private final Options options;
    private final Protection protection;
    private final Refusals refusals;
    private final Executor stateLoop;
    private final CoordinatorEvents events;
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("tcp-accept"));
    private final EventLoopGroup io = new NioEventLoopGroup(0, new DefaultThreadFactory("tcp-io"));
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private Channel listener;

    /** @param metrics where the refusal counters are registered */
    public TcpServer(Options options, Protection protection, MeterRegistry metrics, Executor stateLoop,
                     CoordinatorEvents events) {
        this.options = Objects.requireNonNull(options, "options");
        this.protection = Objects.requireNonNull(protection, "protection");
        this.refusals = new Refusals(metrics, System::nanoTime);
        this.stateLoop = Objects.requireNonNull(stateLoop, "stateLoop");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Binds the first resolved address that accepts the bind.
     *
     * @return the bound address (useful with port 0)
     * @throws IOException when the host or port cannot be resolved or no address can be bound
     */
    public InetSocketAddress start() throws IOException {
        int port;
        try {
            port = PortNames.resolve(options.port());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot listen: " + e.getMessage(), e);
        }
        List<InetSocketAddress> candidates = new ArrayList<>();
        if (options.host().isEmpty()) {
            candidates.add(new InetSocketAddress(port));
        } else {
            try {
                for (InetAddress address : InetAddress.getAllByName(options.host())) {
                    candidates.add(new InetSocketAddress(address, port));
                }
            } catch (UnknownHostException e) {
                throw new IOException("cannot listen: unknown host '" + options.host() + "'", e);
            }
        }
        String refusal = BindCheck.refusal(options.host(),
                candidates.stream().map(InetSocketAddress::getAddress).toList(), protection.settings());
        if (refusal != null) {
            throw new IOException(refusal);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, Options.BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initConnection(ch);
                    }
                });
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress address : candidates) {
            ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
            if (bound.isSuccess()) {
                listener = bound.channel();
                InetSocketAddress local = (InetSocketAddress) listener.localAddress();
                LOG.info("listening on {}{}", PeerNames.of(local), protection.tls().isEmpty() ? "" : " (TLS)");
                return local;
            }
            failures.add(address + ": " + bound.cause().getMessage());
        }
        throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": "
                + String.join("; ", failures));
    }

    private void initConnection(SocketChannel ch) {
        String peer = PeerNames.of(ch.remoteAddress());
        ChannelPipeline p = ch.pipeline();
        protection.tls().ifPresent(tls -> p.addLast("tls", tls.newHandler(ch.alloc())));
        if (open.incrementAndGet() > options.limits().maxConnections()) {
            open.decrementAndGet();
            refusals.record(Refusal.MAX_CONNECTIONS, peer, "refused: already " + options.limits().maxConnections()
                    + " connections (max_connections)");
            p.addLast("replies", new ReplyEncoder(peer));
            ch.writeAndFlush(new Reply.Simple("error", EAGAIN, "Too many connections, try again later"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ch.closeFuture().addListener(closed -> open.decrementAndGet());
        connections.add(ch);
        JsonFrameDecoder frames = new JsonFrameDecoder(options.maxFrameBytes());
        long frameTimeout = options.limits().frameTimeoutMs();
        p.addLast("stall", new IdleStateHandler(frameTimeout, 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("frames", frames);
        p.addLast("commands", new CommandDecoder(peer));
        p.addLast("replies", new ReplyEncoder(peer));
        p.addLast("connection", new ConnectionHandler(stateLoop, events, frames,
                new NettyClientConnection(ch, peer, options.limits().maxPendingReplies()),
                protection.access().newConnection(), refusals, frameTimeout));
    }

    /** Stops accepting connections; established ones stay open. */
    public void stopListening() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }

    /** Closes the listener and every connection, then stops the I/O threads. */
    @Override
    public void close() {
        stopListening();
        connections.close().awaitUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
