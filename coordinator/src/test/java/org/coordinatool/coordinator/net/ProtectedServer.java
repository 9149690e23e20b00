package org.coordinatool.coordinator.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.coordinatool.config.ConfigException;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.ConnectionLimits;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.config.Side;
import org.coordinatool.config.TlsSettings;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.PathResolver;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.core.RequestTelemetry;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.coordinator.security.AccessPolicy;
import org.coordinatool.coordinator.security.TlsContexts;
import org.coordinatool.coordinator.security.Token;

/** The real coordinator behind a TCP server with TLS, tokens and limits as a test asks. */
final class ProtectedServer implements AutoCloseable {

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final DefaultEventLoop stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    final Coordinator coordinator;
    final TcpServer server;
    final InetSocketAddress address;

    /**
     * @param tls   empty = plain TCP
     * @param agent the agent token, if any
     * @param admin the admin token, if any
     */
    ProtectedServer(Optional<TlsSettings> tls, Optional<String> agent, Optional<String> admin,
                    ConnectionLimits limits) throws IOException, ConfigException {
        ServerSettings settings = new ConfigLoader(Path.of("/nonexistent/coordinatool.conf"), () -> "testhost")
                .load(Side.SERVER, null, Map.of(), Map.of("client_grace_ms", List.of("600000"))).server();
        coordinator = new Coordinator(settings, "testfs0", RequestStore.NONE, item -> { }, Clock.SYSTEM,
                new EventLoopTimers(stateLoop), new Random(1), ReportWriter.NONE,
                (path, done) -> stateLoop.execute(() -> done.accept(
                        PathResolver.Resolution.failed(2, "no such file: " + path))),
                () -> { }, RequestTelemetry.NONE);
        TcpServer.Protection protection = new TcpServer.Protection(
                tls.isPresent() ? Optional.of(TlsContexts.server(tls.get())) : Optional.empty(),
                new AccessPolicy(agent.map(Token::of), admin.map(Token::of)),
                new ServerSecurity(tls.orElse(TlsSettings.OFF), Optional.empty(), Optional.empty(), false));
        server = new TcpServer(new TcpServer.Options("127.0.0.1", "0", 1 << 20, limits), protection, metrics,
                stateLoop, coordinator);
        address = server.start();
    }

    String port() {
        return Integer.toString(address.getPort());
    }

    /** A refusal counter: {@code coordinatool.connections.rejected} and the like, by reason. */
    double count(String metric, String reason) {
        return metrics.counter(metric, "reason", reason).count();
    }

    double rejected(String reason) {
        return count(Refusal.REJECTED, reason);
    }

    @Override
    public void close() throws InterruptedException {
        stateLoop.submit(coordinator::shutdown).await(5, TimeUnit.SECONDS);
        server.close();
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
