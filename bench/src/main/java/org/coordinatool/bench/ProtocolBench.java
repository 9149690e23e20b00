package org.coordinatool.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.net.JsonFrameDecoder;

/**
 * One protocol-level run against a server: K agents and one injector on a single event-loop
 * thread, which owns the ledger (no locks on the per-request records), then the figures.
 *
 * <p>Order: the agents connect and say ehlo (unless they come after the injection); the
 * preloaded archives are queued as fast as the server takes them; then the measured requests at
 * the asked rate; the run ends when every measured request was acknowledged done, when a
 * problem shows up, or when nothing progresses for the stall timeout.
 */
public final class ProtocolBench implements RunControl {

    /** Replies to an agent carry at most max_bytes of items; this bounds a frame with room to spare. */
    private static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

    private enum Phase { CONNECTING, PRELOAD, MEASURED, INJECTED }

    private final BenchSettings settings;
    private final RequestLedger ledger;
    private final RunClock clock = new RunClock();
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final List<Channel> channels = new ArrayList<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private Injector injector;
    private Phase phase = Phase.CONNECTING;
    private int agentsReady;
    private boolean finished;
    private long progressCount;
    private long lastProgressCount = -1;
    private long lastProgressAt;
    private long preloadStartedAt;
    private long preloadNanos;
    private long enqueueStartedAt;
    private long enqueueEndedAt;
    private long completedAt;

    private ProtocolBench(BenchSettings settings) {
        this.settings = settings;
        int tag = ThreadLocalRandom.current().nextInt(1, 1 << 24);
        this.ledger = new RequestLedger(new SyntheticRequests(tag, settings.requests(), settings.preloadArchives(),
                settings.mix(), settings.archiveId(), SyntheticRequests.data(settings.dataSize())));
    }

    /** Runs the benchmark to its end and returns its figures (check {@link BenchResult#ok()}). */
    public static BenchResult run(BenchSettings settings) throws IOException, InterruptedException {
        return new ProtocolBench(settings).run();
    }

    private BenchResult run() throws IOException, InterruptedException {
        ProcessUsage serverBefore = settings.serverPid() > 0 ? ProcessUsage.of(settings.serverPid()) : null;
        ProcessUsage redisBefore = settings.redisPid() > 0 ? ProcessUsage.of(settings.redisPid()) : null;
        ProcessUsage selfBefore = ProcessUsage.of(ProcessHandle.current().pid());
        long startedAt = clock.now();
        try {
            loop.execute(this::start);
            try {
                end.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the run ended abnormally", e.getCause());
            }
            ProcessUsage server = serverBefore == null ? null : ProcessUsage.of(settings.serverPid()).since(serverBefore);
            ProcessUsage redis = redisBefore == null ? null : ProcessUsage.of(settings.redisPid()).since(redisBefore);
            ProcessUsage self = ProcessUsage.of(ProcessHandle.current().pid()).since(selfBefore);
            loop.submit(() -> channels.forEach(Channel::close)).syncUninterruptibly();
            return result(startedAt, server, redis, self);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private BenchResult result(long startedAt, ProcessUsage server, ProcessUsage redis, ProcessUsage self) {
        List<String> offenders = ledger.offenders();
        return new BenchResult(settings, offenders.isEmpty() && ledger.allCompleted(), offenders,
                ledger.dispatchedCount(), ledger.completed(), (clock.now() - startedAt) / 1e9, preloadNanos / 1e9,
                seconds(enqueueStartedAt, enqueueEndedAt), seconds(enqueueStartedAt, completedAt),
                Percentiles.of(ledger.queueLatencies()), Percentiles.of(ledger.serviceLatencies()),
                server, redis, self);
    }

    private static double seconds(long from, long to) {
        return from == 0 || to == 0 ? 0 : (to - from) / 1e9;
    }

    private void start() {
        loop.scheduleAtFixedRate(this::watchStall, 1, 1, TimeUnit.SECONDS);
        if (settings.agentsAfterInjection()) {
            startInjector();
        } else {
            startAgents();
        }
    }

    private void startAgents() {
        int maxArchive = settings.preloadArchives() > 0 ? 0 : settings.maxArchive();
        for (int i = 1; i <= settings.agents(); i++) {
            connect(new BenchAgent("bench-agent-" + i, settings, ledger, clock, this, maxArchive));
        }
    }

    private void startInjector() {
        injector = new Injector(settings, ledger, clock, this);
        connect(injector);
    }

    @Override
    public void injectorReady() {
        phase = Phase.PRELOAD;
        preloadStartedAt = clock.now();
        injector.inject(settings.requests(), settings.requests() + settings.preloadArchives(), 0);
    }

    private void connect(ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new JsonFrameDecoder(MAX_FRAME_BYTES), handler);
                    }
                });
        Channel ch = b.connect(settings.host(), settings.port()).addListener(f -> {
            if (!f.isSuccess()) {
                ledger.failure("cannot connect to " + settings.host() + ":" + settings.port() + ": "
                        + f.cause().getMessage());
                abort();
            }
        }).channel();
        channels.add(ch);
    }

    @Override
    public void agentReady() {
        agentsReady++;
        if (agentsReady == settings.agents() && !settings.agentsAfterInjection()) {
            startInjector();
        }
    }

    @Override
    public void phaseInjected() {
        if (phase == Phase.PRELOAD) {
            preloadNanos = clock.now() - preloadStartedAt;
            phase = Phase.MEASURED;
            injector.inject(0, settings.requests(), settings.rate());
        } else if (phase == Phase.MEASURED) {
            phase = Phase.INJECTED;
            enqueueStartedAt = injector.firstSentAt();
            enqueueEndedAt = injector.lastAcknowledgedAt();
            if (settings.agentsAfterInjection()) {
                startAgents();
            }
            progress();
        }
    }

    @Override
    public void progress() {
        progressCount++;
        if (phase == Phase.INJECTED && ledger.allCompleted() && !finished) {
            completedAt = clock.now();
            finish();
        }
    }

    @Override
    public void abort() {
        finish();
    }

    private void finish() {
        if (!finished) {
            finished = true;
            end.complete(null);
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    private void watchStall() {
        long now = clock.now();
        if (progressCount != lastProgressCount) {
            lastProgressCount = progressCount;
            lastProgressAt = now;
        } else if (!finished && now - lastProgressAt > settings.stallSeconds() * 1_000_000_000L) {
            ledger.failure("nothing happened for " + settings.stallSeconds() + " s (" + phase.name().toLowerCase()
                    + " phase, " + agentsReady + "/" + settings.agents() + " agents ready, "
                    + ledger.dispatchedCount() + " dispatched, " + ledger.completed() + " completed of "
                    + settings.requests() + ")");
            finish();
        }
    }
}
