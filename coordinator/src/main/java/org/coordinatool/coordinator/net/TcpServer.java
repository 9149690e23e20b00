package org.coordinatool.coordinator.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's TCP listener. Each connection's pipeline splits the stream into JSON values,
 * decodes them into commands and encodes replies on Netty's I/O threads; the commands themselves
 * are handled on the state loop.
 */
public final class TcpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);

    /**
     * @param host         address to bind (a name is resolved; empty = every local address)
     * @param port         port number or TCP service name
     * @param stallTimeout how long a connection may stay silent in the middle of a message
     */
    public record Options(String host, String port, int maxFrameBytes, Duration stallTimeout) {
        public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(300);
        public static final int BACKLOG = 128;

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(port, "port");
            if (stallTimeout.isNegative() || stallTimeout.isZero()) {
                throw new IllegalArgumentException("stall timeout must be positive");
            }
        }
    }

    private final Options options;
    private final Executor stateLoop;
    private final CoordinatorEvents events;
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("tcp-accept"));
    private final EventLoopGroup io = new NioEventLoopGroup(0, new DefaultThreadFactory("tcp-io"));
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    public TcpServer(Options options, Executor stateLoop, CoordinatorEvents events) {
        this.options = Objects.requireNonNull(options, "options");
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
        List<SocketAddress> candidates = new ArrayList<>();
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
        for (SocketAddress address : candidates) {
            ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
            if (bound.isSuccess()) {
                listener = bound.channel();
                InetSocketAddress local = (InetSocketAddress) listener.localAddress();
                LOG.info("listening on {}", PeerNames.of(local));
                return local;
            }
            failures.add(address + ": " + bound.cause().getMessage());
        }
        throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": "
                + String.join("; ", failures));
    }

    private void initConnection(SocketChannel ch) {
        connections.add(ch);
        String peer = PeerNames.of(ch.remoteAddress());
        JsonFrameDecoder frames = new JsonFrameDecoder(options.maxFrameBytes());
        long stallSeconds = options.stallTimeout().toSeconds();
        ChannelPipeline p = ch.pipeline();
        p.addLast("stall", new IdleStateHandler(options.stallTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        p.addLast("frames", frames);
        p.addLast("commands", new CommandDecoder(peer));
        p.addLast("replies", new ReplyEncoder(peer));
        p.addLast("connection", new ConnectionHandler(stateLoop, events, frames,
                new NettyClientConnection(ch, peer), stallSeconds));
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
