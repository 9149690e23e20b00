package org.coordinatool.mover;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.RequestTelemetry;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.config.Side;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.coordinator.client.Deadline;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.net.EventLoopTimers;
import org.coordinatool.coordinator.net.TcpServer;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.hsm.HsmActionList;

/**
 * The real coordinator core behind its real TCP server, in this JVM and without Redis: a restart
 * loses every request, as a memory-only server does. Requests come in as if from Lustre.
 */
final class TestCoordinator implements AutoCloseable {

    static final String FSNAME = "testfs0";

    private int port;
    private DefaultEventLoop stateLoop;
    private Coordinator coordinator;
    private TcpServer server;

    static TestCoordinator start() throws Exception {
        TestCoordinator c = new TestCoordinator();
        c.open(0);
        return c;
    }

    private void open(int listenPort) throws Exception {
        ServerSettings settings = new ConfigLoader(Path.of("/nonexistent/coordinatool.conf"), () -> "testhost")
                .load(Side.SERVER, null, Map.of(), Map.of("client_grace_ms", List.of("600000"))).server();
        stateLoop = new DefaultEventLoop(new DefaultThreadFactory("test-coordinator"));
        coordinator = new Coordinator(settings, FSNAME, RequestStore.NONE, item -> { }, Clock.SYSTEM,
                new EventLoopTimers(stateLoop), new Random(1), ReportWriter.NONE, (path, done) -> done.accept(PathResolver.Resolution.failed(95, "no filesystem")), () -> { },
                RequestTelemetry.NONE);
        server = new TcpServer(new TcpServer.Options("127.0.0.1", Integer.toString(listenPort), 1 << 24,
                ConnectionLimits.DEFAULTS), TcpServer.Protection.NONE, new SimpleMeterRegistry(), stateLoop, coordinator);
        InetSocketAddress address = server.start();
        port = address.getPort();
    }

    int port() {
        return port;
    }

    /** Requests arriving from Lustre. */
    void fromLustre(HsmActionList list) throws Exception {
        stateLoop.submit(() -> coordinator.fromLustre(list)).await(5, TimeUnit.SECONDS);
    }

    /** The status reply, asked over TCP by an anonymous client. */
    Reply.StatusReport status() {
        try (ServerConnection c = ServerConnection.open("127.0.0.1", Integer.toString(port), ClientProtection.NONE,
                new Command.Ehlo(null, null, null, null, List.of()), Deadline.after(Duration.ofSeconds(10)))) {
            c.send(new Command.Status(4));
            return (Reply.StatusReport) JsonCodec.decodeReply(c.read());
        } catch (Exception e) {
            throw new AssertionError("status request failed", e);
        }
    }

    /** The named client's entry in the status, or null. */
    Reply.ClientReport client(String id) {
        return status().clients().stream().filter(c -> id.equals(c.clientId())).findFirst().orElse(null);
    }

    /** Stops and starts again on the same port, forgetting everything. */
    void restart() throws Exception {
        stop();
        open(port);
    }

    private void stop() throws Exception {
        stateLoop.submit(coordinator::shutdown).await(5, TimeUnit.SECONDS);
        server.close();
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
