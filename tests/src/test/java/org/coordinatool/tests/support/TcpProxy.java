package org.coordinatool.tests.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on the loopback interface, put between agents and the coordinator to break their
 * connections the ways a network does: {@link #stall} stops forwarding in both directions while
 * every connection stays open (a hung switch, a peer that stopped reading), {@link #cut} resets
 * every open connection at once (RST, as a firewall or a rebooted router does).
 */
public final class TcpProxy implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final int targetPort;
    private final Channel listener;
    private volatile boolean stalled;

    private TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Accepted());
                    }
                });
        listener = b.bind(new InetSocketAddress(CoordinatorProcess.HOST, 0)).syncUninterruptibly().channel();
    }

    /** A proxy on a free port forwarding to {@code targetPort} on the loopback interface. */
    public static TcpProxy start(int targetPort) {
        return new TcpProxy(targetPort);
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops reading on every connection, present and future; bytes already read are still delivered. */
    public void stall() {
        stalled = true;
        connections.forEach(c -> c.config().setAutoRead(false));
    }

    /** Forwards again after {@link #stall}. */
    public void resume() {
        stalled = false;
        connections.forEach(c -> c.config().setAutoRead(true));
    }

    /** Resets every open connection on both sides; returns how many client connections were cut. */
    public int cut() {
        int pairs = connections.size() / 2;
        for (Channel c : connections) {
            c.config().setOption(ChannelOption.SO_LINGER, 0);
            c.close();
        }
        return pairs;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client side: connects to the target, then relays once both ends are up. */
    private final class Accepted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Relay(inbound));
            b.connect(CoordinatorProcess.HOST, targetPort).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    inbound.close();
                    return;
                }
                Channel outbound = f.channel();
                connections.add(inbound);
                connections.add(outbound);
                inbound.pipeline().replace(this, "relay", new Relay(outbound));
                inbound.config().setAutoRead(!stalled);
                outbound.config().setAutoRead(!stalled);
            });
        }
    }

    /** Writes what one side reads to the other; either side closing closes both. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
