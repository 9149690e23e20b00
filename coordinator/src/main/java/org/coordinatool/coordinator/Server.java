package org.coordinatool.coordinator;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.coordinatool.config.ServerSecurity;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.coordinator.core.Clock;
import org.coordinatool.coordinator.core.Coordinator;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.lustre.CopytoolSource;
import org.coordinatool.coordinator.lustre.LustreCancellerImpl;
import org.coordinatool.coordinator.lustre.LustrePathResolver;
import org.coordinatool.coordinator.lustre.LustreReceiver;
import org.coordinatool.coordinator.metrics.CoordinatorMetrics;
import org.coordinatool.coordinator.metrics.JvmMetrics;
import org.coordinatool.coordinator.metrics.LoopSampler;
import org.coordinatool.coordinator.metrics.LustreMetrics;
import org.coordinatool.coordinator.metrics.MetricsHttpServer;
import org.coordinatool.coordinator.metrics.RedisMetrics;
import org.coordinatool.coordinator.net.EventLoopTimers;
import org.coordinatool.coordinator.net.TcpServer;
import org.coordinatool.coordinator.redis.RedisRecovery;
import org.coordinatool.coordinator.redis.RedisRecoveryException;
import org.coordinatool.coordinator.redis.RedisStore;
import org.coordinatool.coordinator.report.DirectoryReportWriter;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.coordinator.security.AccessPolicy;
import org.coordinatool.coordinator.security.TlsContexts;
import org.coordinatool.coordinator.security.Token;
import org.coordinatool.coordinator.security.TokenFile;
import org.coordinatool.lustre.Copytool;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;
import org.coordinatool.lustre.LustreLibraryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: starts its parts in the original's order, waits for a reason to stop, and
 * stops them in reverse so that nothing reaches a part that is already gone.
 */
final class Server {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    /** A start-up step failed; the message is the one-line reason printed on exit. */
    static final class StartupException extends Exception {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ServerSettings settings;
    private final String mountPoint;
    private final CompletableFuture<Integer> terminationRequested = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitStatus = 1;

    private Lustre lustre;
    private DefaultEventLoop stateLoop;
    private ExecutorService reportExecutor;
    private RedisStore redis;
    private Coordinator coordinator;
    private TcpServer tcp;
    private LustreCancellerImpl canceller;
    private LustrePathResolver pathResolver;
    private Copytool copytool;
    private LustreReceiver receiver;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmMetrics jvmMetrics;
    private MetricsHttpServer metricsServer;

    Server(ServerSettings settings, String mountPoint) {
        this.settings = settings;
        this.mountPoint = mountPoint;
    }

    /**
     * Start-up in the original's order: filesystem name; state loop, timers and signals; queues
     * (after the reporting directory and the Redis connection they write to); Redis recovery;
     * the TCP listener and the metrics endpoint; registration with Lustre.
     */
    void start() throws StartupException {
        String fsname = lookUpFsname();
        LOG.info("coordinatool {} starting for filesystem {} on {}", Version.text(), fsname, mountPoint);

        stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
        EventLoopTimers timers = new EventLoopTimers(stateLoop);
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "signal-termination"));

        ReportWriter reports = openReporting();
        AtomicReference<Coordinator> self = new AtomicReference<>();
        RequestStore store = RequestStore.NONE;
        if (settings.redisEnabled()) {
            redis = RedisStore.connect(settings.redisHost(), settings.redisPort(), stateLoop, self::get);
            store = redis;
        } else {
            LOG.warn("redis_host is empty: requests are kept in memory only and lost if the server stops;"
                    + " Redis recovery skipped (requeue with coordinatool-client --queue and the MDT's"
                    + " hsm/active_requests instead)");
        }
        canceller = new LustreCancellerImpl();
        pathResolver = new LustrePathResolver(lustre, fsname, stateLoop);
        CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
        coordinator = new Coordinator(settings, fsname, store, canceller, Clock.SYSTEM, timers, new Random(),
                reports, pathResolver, () -> requestTermination(0, "lock-and-quit: nothing is running any more"),
                metrics);
        self.set(coordinator);
        if (redis != null) {
            RedisMetrics.bind(registry, redis);
        }

        if (redis != null) {
            try {
                RedisRecovery.run(redis);
            } catch (RedisRecoveryException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }

        try {
            tcp = new TcpServer(new TcpServer.Options(settings.host(), settings.port(), settings.maxFrameBytes(),
                    settings.limits()), protection(), registry, stateLoop, coordinator);
            tcp.start();
        } catch (IOException e) {
            throw new StartupException(e.getMessage(), e);
        }
        startMetrics(metrics);

        register();
        LOG.info("ready: serving filesystem {}", fsname);
    }

    /** TLS context and tokens, read before anything listens so that a bad file stops the start. */
    private TcpServer.Protection protection() throws IOException {
        ServerSecurity security = settings.security();
        Optional<SslContext> tls = security.tls().enabled()
                ? Optional.of(TlsContexts.server(security.tls()))
                : Optional.empty();
        Optional<Token> agent = readToken("agent_token_file", security.agentTokenFile());
        Optional<Token> admin = readToken("admin_token_file", security.adminTokenFile());
        if (security.tls().enabled() && security.tls().ca().isPresent()) {
            LOG.info("TLS with client certificates required (mutual TLS)");
        }
        if (agent.isPresent() || admin.isPresent()) {
            LOG.info("tokens required: {}{}", agent.isPresent() ? "agent" : "",
                    admin.isPresent() ? (agent.isPresent() ? " and admin" : "admin") : "");
        }
        if (tls.isEmpty() && agent.isEmpty() && admin.isEmpty()) {
            LOG.info("no TLS and no tokens: whoever reaches the port can take work, queue requests and stop the"
                    + " server (see the Security section of the README)");
        }
        return new TcpServer.Protection(tls, new AccessPolicy(agent, admin), security);
    }

    private static Optional<Token> readToken(String key, Optional<Path> file) throws IOException {
        return file.isEmpty() ? Optional.empty() : Optional.of(TokenFile.read(key, file.get()));
    }

    private void startMetrics(CoordinatorMetrics metrics) throws StartupException {
        if (!settings.metrics().enabled()) {
            LOG.info("metrics_port is 0: no metrics endpoint");
            return;
        }
        jvmMetrics = new JvmMetrics(registry);
        Coordinator c = coordinator;
        LoopSampler sampler = new LoopSampler(stateLoop, () -> metrics.publish(c.sample()),
                LoopSampler.DEFAULT_TIMEOUT);
        try {
            metricsServer = MetricsHttpServer.start(settings.metrics(), () -> {
                sampler.sampleNow();
                return registry.scrape();
            });
        } catch (IOException e) {
            throw new StartupException(e.getMessage() + " (metrics_host, metrics_port; 0 disables the endpoint)", e);
        }
    }

    private String lookUpFsname() throws StartupException {
        try {
            lustre = settings.lustreapiLibrary().isEmpty() ? Lustre.load() : Lustre.load(settings.lustreapiLibrary());
        } catch (LustreLibraryException e) {
            throw new StartupException(e.getMessage().replace("\n", " "), e);
        }
        try {
            return lustre.searchFsname(mountPoint);
        } catch (LustreException e) {
            throw new StartupException("cannot find the Lustre filesystem of " + mountPoint + ": " + e.getMessage(), e);
        }
    }

    private ReportWriter openReporting() throws StartupException {
        if (!settings.reportingEnabled()) {
            return ReportWriter.NONE;
        }
        Path directory = Path.of(mountPoint).resolve(settings.reportingDir().get());
        reportExecutor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("report-writer", true));
        try {
            return DirectoryReportWriter.open(directory, reportExecutor);
        } catch (IOException e) {
            throw new StartupException("cannot use reporting directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private void register() throws StartupException {
        int[] archives = settings.archiveIds().stream().mapToInt(Integer::intValue).toArray();
        try {
            copytool = lustre.registerCopytool(mountPoint, archives, Lustre.O_NONBLOCK);
            receiver = new LustreReceiver(new CopytoolSource(copytool), stateLoop, coordinator, this::lustreLost);
        } catch (LustreException e) {
            throw new StartupException("cannot register as a copytool on " + mountPoint + ": " + e.getMessage(), e);
        }
        canceller.attach(copytool::reportError);
        LustreMetrics.bind(registry, receiver);
        receiver.start();
        LOG.info("registered with Lustre for {}", archives.length == 0 ? "all archives"
                : "archives " + settings.archiveIds());
    }

    private void lustreLost(LustreException e) {
        // An unmount (ESHUTDOWN) is an orderly end; a broken channel is not.
        requestTermination(e.is(Errno.ESHUTDOWN) ? 0 : 1, "Lustre ended the copytool registration");
    }

    /** Asks for an orderly termination with this exit status; only the first request counts. */
    void requestTermination(int status, String reason) {
        if (terminationRequested.complete(status)) {
            LOG.info("terminating: {}", reason);
        }
    }

    /** Blocks until termination is requested, then stops everything; returns the exit status. */
    int awaitTermination() {
        int status = terminationRequested.join();
        stop();
        return status;
    }

    /** Stops whatever was started, in reverse order. Safe after a failed start. */
    void stop() {
        if (receiver != null) {
            try {
                receiver.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (jvmMetrics != null) {
            jvmMetrics.close();
        }
        if (tcp != null) {
            tcp.stopListening();
        }
        if (coordinator != null) {
            stateLoop.submit(coordinator::shutdown).awaitUninterruptibly(30, TimeUnit.SECONDS);
        }
        if (tcp != null) {
            tcp.close();
        }
        if (pathResolver != null) {
            pathResolver.close();
        }
        if (canceller != null) {
            canceller.close();
        }
        if (copytool != null) {
            try {
                copytool.close();
            } catch (LustreException e) {
                LOG.warn("unregistering from Lustre failed: {}", e.getMessage());
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (reportExecutor != null) {
            reportExecutor.shutdown();
            try {
                reportExecutor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stateLoop != null) {
            stateLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Records the process's exit status once everything is stopped. */
    void finish(int status) {
        exitStatus = status;
        finished.countDown();
    }

    /**
     * TERM and INT (the JVM turns them into shutdown) and QUIT (the launcher turns it into TERM):
     * terminate in order, then leave with the status of that termination rather than the JVM's
     * 128+signal. When the JVM shuts down because the process is already exiting, there is
     * nothing left to do.
     */
    private void onSignal() {
        if (finished.getCount() == 0) {
            return;
        }
        requestTermination(0, "signal received");
        try {
            if (!finished.await(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("termination did not complete within 2 minutes, exiting anyway");
                exitStatus = 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(exitStatus);
    }
}
