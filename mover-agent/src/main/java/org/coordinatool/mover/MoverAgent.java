package org.coordinatool.mover;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.coordinatool.config.ClientSettings;
import org.coordinatool.coordinator.client.Backoff;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.metrics.JvmMetrics;
import org.coordinatool.coordinator.metrics.LoopSampler;
import org.coordinatool.coordinator.metrics.MetricsHttpServer;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.hsm.HalCodec;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.mover.shim.ShimConnection;
import org.coordinatool.mover.shim.ShimListener;
import org.coordinatool.mover.shim.ShimMessage;
import org.coordinatool.mover.shim.ShimProtocol;
import org.coordinatool.mover.shim.ShimServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mover agent: runs one copytool under the preload shim and speaks for it to the coordinator
 * as an ordinary coordinatool agent.
 *
 * <p>Work flows on demand: a RECV from the copytool becomes one recv to the coordinator, whose
 * action list goes back to the copytool in Lustre's binary layout; each END becomes a done.
 * Requests the copytool will not finish are given back by reconnecting with an ehlo whose
 * {@code hai_list} leaves them out: the coordinator requeues what a reconnecting agent does not
 * claim (spec §2.4.1 step 7), which is the only way the protocol offers. The ehlo claims exactly
 * the items delivered and not ended, plus those ended whose done is not acknowledged yet.
 *
 * <p>The copytool registers without waiting for the coordinator: its REGISTER is answered at
 * once and its RECVs simply wait until the coordinator is reachable, so a coordinator outage
 * never makes a copytool fail or block in registration.
 *
 * <p>All state lives on the {@link AgentLoop} thread.
 */
public final class MoverAgent {

    private static final Logger LOG = LoggerFactory.getLogger(MoverAgent.class);

    static final Backoff RECONNECT_BACKOFF = new Backoff(100, 5000);
    /** After SHUTDOWN, how long the copytool has to leave before it gets SIGTERM, then SIGKILL. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    /** How long a stopping agent waits for its last completions to be acknowledged. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private static final int ESHUTDOWN = 108;
    private static final int EBUSY = 16;
    private static final int EINVAL = 22;

    enum Phase {
        /** Taking work. */
        RUNNING,
        /** Asked to stop: no new work, running transfers may finish. */
        DRAINING,
        /** SHUTDOWN sent: waiting for the copytool to exit. */
        SHUTTING_DOWN,
        /** The copytool is gone: waiting for the last completions to be acknowledged. */
        FLUSHING,
        FINISHED
    }

    private record Registration(ShimConnection connection, int pid, String mnt) {
    }

    /** What an ehlo announces besides the client id. */
    private record Announcement(String fsname, List<Long> archives) {
    }

    /** What an ehlo was built from; a connection made with an outdated one must be redone. */
    private record EhloBasis(long claimsVersion, Announcement announcement) {
    }

    private final MoverSettings settings;
    private final ClientSettings client;
    private final AgentLoop loop = new AgentLoop();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final RestartPolicy restarts;
    private final RunningItems running = new RunningItems();
    private final PendingDones dones = new PendingDones();
    private final SocketDirectory socketDirectory;
    private final CopytoolCommand copytool;
    private final CoordinatorLink link;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics metrics = new AgentMetrics(registry);
    private ShimServer shim;
    private JvmMetrics jvmMetrics;
    private MetricsHttpServer metricsServer;
    private boolean connectedBefore;

    private Phase phase = Phase.RUNNING;
    private int exitStatus;
    private Process child;
    private ScheduledFuture<?> restartTimer;
    private ScheduledFuture<?> stopTimer;
    private ScheduledFuture<?> killTimer;
    private ScheduledFuture<?> flushTimer;

    private Registration registration;
    /** buffer_size of the copytool's outstanding RECV; 0 when none is outstanding. */
    private long wanted;
    /** Items of the last ACTION_LIST, until the copytool shows it took it (RECV, END) or did not (REJECT...). */
    private final Set<ItemKey> lastDelivered = new HashSet<>();
    private Announcement announcement;
    /** A recv is outstanding on the current coordinator connection. */
    private boolean recvSent;
    /** Bumped whenever items stop being claimed; an ehlo built before that claims too much. */
    private long claimsVersion;
    private EhloBasis ehloBasis;
    /** Items were given back and no ehlo without them has been accepted yet. */
    private boolean givingBack;

    private MoverAgent(MoverSettings settings, SocketDirectory socketDirectory) {
        this.settings = settings;
        this.client = settings.client();
        this.socketDirectory = socketDirectory;
        this.restarts = new RestartPolicy(settings.restartDelay(), settings.maxRestarts(), settings.restartWindow());
        this.copytool = new CopytoolCommand(settings.command(), settings.shimLibrary(), socketDirectory.socket());
        this.link = new CoordinatorLink(client.host(), client.port(), settings.protection(), RECONNECT_BACKOFF, loop, new LinkEvents());
    }

    /**
     * Creates the socket, starts listening, serves the metrics (when {@code agent_metrics_port} is
     * set) and starts the copytool.
     *
     * @throws IOException when the socket cannot be created, the metrics endpoint cannot be bound
     *                     or the copytool cannot be executed
     */
    public static MoverAgent start(MoverSettings settings) throws IOException {
        SocketDirectory dir = SocketDirectory.create(settings.socketParent());
        MoverAgent agent = new MoverAgent(settings, dir);
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            agent.shim = ShimServer.open(dir.socket(), agent.loop, agent.new ShimEvents());
            agent.startMetrics();
        } catch (IOException e) {
            started.completeExceptionally(e);
        }
        agent.loop.execute(() -> {
            if (started.isDone()) {
                return;
            }
            try {
                agent.startCopytool();
                started.complete(null);
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
        });
        try {
            started.join();
        } catch (java.util.concurrent.CompletionException e) {
            agent.loop.execute(agent::finish);
            agent.exit.join();
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
        return agent;
    }

    private void startMetrics() throws IOException {
        if (!client.agentMetrics().enabled()) {
            return;
        }
        jvmMetrics = new JvmMetrics(registry);
        LoopSampler sampler = new LoopSampler(loop, () -> metrics.publish(running.countByType(), link.connected()),
                LoopSampler.DEFAULT_TIMEOUT);
        metricsServer = MetricsHttpServer.start(client.agentMetrics(), () -> {
            sampler.sampleNow();
            return registry.scrape();
        });
    }

    /** The socket the copytool's shim connects to. */
    public Path socket() {
        return socketDirectory.socket();
    }

    /** Stops taking work, lets running transfers finish (within the stop timeout), stops the copytool. */
    public void requestStop() {
        loop.execute(() -> stop(0, "termination requested"));
    }

    /** Completes with the exit status once the agent has finished. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    // ------------------------------------------------------------------ copytool process

    private void startCopytool() throws IOException {
        Process p = copytool.start();
        child = p;
        LOG.info("started copytool pid {}: {}", p.pid(), copytool);
        p.onExit().thenRun(() -> loop.execute(() -> shim.drain(() -> copytoolExited(p))));
    }

    private void restartCopytool() {
        restartTimer = null;
        if (phase != Phase.RUNNING) {
            return;
        }
        try {
            startCopytool();
            metrics.copytoolRestarted();
        } catch (IOException e) {
            LOG.error("cannot restart the copytool: {}", e.getMessage());
            stop(1, "the copytool cannot be started");
        }
    }

    /** Runs once everything the copytool sent before it exited has been handled. */
    private void copytoolExited(Process p) {
        if (p != child) {
            return;
        }
        child = null;
        cancel(killTimer);
        String how = describeExit(p);
        if (registration != null) {
            shim.closeAfterFlush(registration.connection());
            registrationEnded();
        }
        lastDelivered.clear();
        List<WireItem> dropped = running.clear();
        if (!dropped.isEmpty()) {
            LOG.warn("copytool pid {} {} with {} unfinished items: giving them back to the coordinator",
                    p.pid(), how, dropped.size());
            giveBack();
        }
        if (phase == Phase.RUNNING) {
            scheduleRestart(p.pid(), how);
        } else {
            LOG.info("copytool pid {} {}", p.pid(), how);
            flush();
        }
    }

    private void scheduleRestart(long pid, String how) {
        RestartPolicy.Decision d = restarts.onExit(System.nanoTime());
        if (d instanceof RestartPolicy.Decision.Restart r) {
            LOG.warn("copytool pid {} {}; restarting it in {} ms", pid, how, r.delay().toMillis());
            restartTimer = loop.schedule(this::restartCopytool, r.delay());
        } else {
            LOG.error("CRASH LOOP: the copytool exited {} times within {} (last: pid {} {}), more than the {}"
                    + " restarts allowed; giving up. Check the copytool's own messages above.",
                    ((RestartPolicy.Decision.GiveUp) d).exitsInWindow(), seconds(settings.restartWindow()),
                    pid, how, settings.maxRestarts());
            stop(1, "the copytool keeps exiting");
        }
    }

    /** "0.2 s", "60 s". */
    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private static String describeExit(Process p) {
        int status = p.exitValue();
        // The JDK reports a death by signal N as 128 + N.
        return status > 128 ? "was killed by signal " + (status - 128) : "exited with status " + status;
    }

    // ------------------------------------------------------------------ stopping

    private void stop(int status, String reason) {
        if (phase != Phase.RUNNING) {
            return;
        }
        exitStatus = status;
        phase = Phase.DRAINING;
        LOG.info("stopping ({}): no more work is taken", reason);
        cancel(restartTimer);
        if (recvSent) {
            // Only a new connection withdraws a recv; the running items stay claimed.
            reconnect();
        }
        if (child == null) {
            flush();
        } else if (running.isEmpty()) {
            shutDownCopytool();
        } else {
            LOG.info("waiting up to {} for {} running transfers", seconds(settings.stopTimeout()),
                    running.size());
            stopTimer = loop.schedule(this::shutDownCopytool, settings.stopTimeout());
        }
    }

    private void shutDownCopytool() {
        if (phase != Phase.DRAINING) {
            return;
        }
        phase = Phase.SHUTTING_DOWN;
        cancel(stopTimer);
        if (!running.isEmpty()) {
            LOG.warn("{} transfers still running after {}: stopping the copytool anyway; the coordinator gets"
                    + " them back", running.size(), seconds(settings.stopTimeout()));
        }
        if (registration != null) {
            shim.send(registration.connection(), ShimProtocol.shutdown(), () -> { });
        } else {
            child.destroy();
        }
        Process p = child;
        killTimer = loop.schedule(() -> {
            LOG.warn("copytool pid {} still running {} s after being asked to stop: sending SIGTERM", p.pid(),
                    EXIT_GRACE.toSeconds());
            p.destroy();
            killTimer = loop.schedule(() -> {
                LOG.warn("copytool pid {} ignored SIGTERM: killing it", p.pid());
                p.destroyForcibly();
            }, EXIT_GRACE);
        }, EXIT_GRACE);
    }

    private void flush() {
        phase = Phase.FLUSHING;
        flushTimer = loop.schedule(() -> {
            LOG.warn("the coordinator did not acknowledge {} completions within {} s; it will requeue them",
                    dones.size(), FLUSH_TIMEOUT.toSeconds());
            finish();
        }, FLUSH_TIMEOUT);
        finishIfFlushed();
    }

    private void finishIfFlushed() {
        if (phase == Phase.FLUSHING && dones.isEmpty() && !givingBack) {
            finish();
        }
    }

    private void finish() {
        if (phase == Phase.FINISHED) {
            return;
        }
        phase = Phase.FINISHED;
        cancel(restartTimer);
        cancel(stopTimer);
        cancel(killTimer);
        cancel(flushTimer);
        link.close();
        if (shim != null) {
            shim.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (jvmMetrics != null) {
            jvmMetrics.close();
        }
        try {
            socketDirectory.close();
        } catch (IOException e) {
            LOG.warn("cannot remove the socket directory: {}", e.getMessage());
        }
        if (child != null) {
            child.destroyForcibly();
        }
        loop.shutdown();
        LOG.info("agent finished (exit status {})", exitStatus);
        exit.complete(exitStatus);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    // ------------------------------------------------------------------ coordinator side

    private void askForWork() {
        if (phase != Phase.RUNNING || registration == null || wanted == 0 || recvSent || !link.connected()) {
            return;
        }
        long maxBytes = client.halSize() == ClientSettings.UNLIMITED ? wanted : Math.min(client.halSize(), wanted);
        link.send(new Command.Recv(client.maxArchive(), client.maxRestore(), client.maxRemove(), maxBytes));
        recvSent = true;
    }

    private void sendDones() {
        if (!link.connected()) {
            return;
        }
        for (PendingDones.Done d : dones.takeUnsent()) {
            link.send(new Command.Done(d.item().cookie(), d.item().dfid(), d.status()));
        }
    }

    /** Items stopped being claimed: a new ehlo without them makes the coordinator requeue them. */
    private void giveBack() {
        claimsVersion++;
        givingBack = true;
        if (link.connected()) {
            reconnect();
        }
    }

    private void reconnect() {
        connectionDown();
        link.reconnect();
    }

    private void connectionDown() {
        recvSent = false;
        dones.connectionLost();
    }

    private EhloBasis currentBasis() {
        return new EhloBasis(claimsVersion, announcement);
    }

    private final class LinkEvents implements CoordinatorLink.Events {

        @Override
        public Command.Ehlo nextEhlo() {
            ehloBasis = currentBasis();
            List<WireItem> claims = running.items();
            claims.addAll(dones.items());
            return new Command.Ehlo(client.clientId(), announcement.fsname(),
                    announcement.archives().isEmpty() ? null : announcement.archives(),
                    claims.isEmpty() ? null : claims, List.of());
        }

        @Override
        public void connected() {
            if (!currentBasis().equals(ehloBasis)) {
                LOG.debug("the ehlo just accepted is out of date; connecting again");
                reconnect();
                return;
            }
            givingBack = false;
            if (connectedBefore) {
                metrics.reconnected();
            }
            connectedBefore = true;
            LOG.info("connected to the coordinator at {} as {} ({} running, {} completions to report)",
                    link.address(), client.clientId(), running.size(), dones.size());
            sendDones();
            askForWork();
            finishIfFlushed();
        }

        @Override
        public void received(Reply reply) {
            if (reply instanceof Reply.ActionList list) {
                recvSent = false;
                deliver(list);
            } else if (reply instanceof Reply.Simple s && s.status() == 0 && s.command().equals("done")) {
                if (!dones.acknowledge()) {
                    LOG.warn("the coordinator acknowledged a done that was not sent");
                }
                finishIfFlushed();
            } else {
                LOG.warn("unexpected answer from the coordinator: {}; reconnecting", ServerConnection.describe(reply));
                reconnect();
            }
        }

        @Override
        public void lost(String reason) {
            connectionDown();
            LOG.warn("lost the coordinator connection ({}); reconnecting", reason);
        }
    }

    /** Hands a recv reply to the copytool's outstanding RECV. */
    private void deliver(Reply.ActionList list) {
        if (phase != Phase.RUNNING || registration == null || wanted == 0) {
            LOG.info("{} items arrived with no copytool waiting for them: giving them back", list.items().size());
            giveBack();
            return;
        }
        String fsname = list.fsname();
        if (fsname == null || fsname.isEmpty() || fsname.indexOf('\0') >= 0) {
            LOG.warn("action list without a usable hal_fsname from the coordinator: giving its {} items back",
                    list.items().size());
            giveBack();
            return;
        }
        HsmActionList hal = HalEncoder.toHal(list);
        int size = HalCodec.halSize(hal);
        if (size > wanted) {
            LOG.error("the coordinator sent an action list of {} bytes for a {}-byte buffer: giving its {} items"
                    + " back", size, wanted, list.items().size());
            giveBack();
            return;
        }
        // Recorded before the write: the copytool may end them as soon as the shim has read the list.
        List<ItemKey> delivered = new ArrayList<>(list.items().size());
        long now = System.nanoTime();
        for (WireItem item : list.items()) {
            if (item.action() == HsmAction.CANCEL.code()) {
                continue;
            }
            if (running.add(item, now)) {
                delivered.add(ItemKey.of(item));
                ActionType type = ActionType.ofRequestCode(item.action());
                if (type != null) {
                    metrics.received(type);
                }
            } else {
                LOG.warn("the coordinator sent {} again while it is running here", ItemKey.of(item));
            }
        }
        lastDelivered.clear();
        lastDelivered.addAll(delivered);
        wanted = 0;
        int pid = registration.pid();
        LOG.debug("{} items (archive {}) to copytool pid {}", list.items().size(), list.archiveId(), pid);
        shim.send(registration.connection(), ShimProtocol.actionList(HalEncoder.encode(hal)),
                () -> notDelivered(delivered, "writing the action list to copytool pid " + pid + " failed"));
    }

    private void notDelivered(List<ItemKey> keys, String why) {
        int removed = 0;
        for (ItemKey k : keys) {
            if (running.remove(k) != null) {
                removed++;
            }
            lastDelivered.remove(k);
        }
        if (removed > 0) {
            LOG.warn("{}: giving {} items back to the coordinator", why, removed);
            giveBack();
        }
    }

    // ------------------------------------------------------------------ shim side

    private void registrationEnded() {
        registration = null;
        wanted = 0;
        if (recvSent) {
            // Nobody is left to take what that recv brings.
            reconnect();
        }
    }

    private void refuse(ShimConnection c, int rc, String why) {
        LOG.error("refusing the registration of {}: {}", c, why);
        shim.send(c, ShimProtocol.registerReply(rc), () -> { });
        shim.closeAfterFlush(c);
    }

    private void protocolError(ShimConnection c, String what) {
        LOG.warn("{}: {}; closing its connection", c, what);
        shim.closeAfterFlush(c);
    }

    private boolean current(ShimConnection c) {
        return registration != null && registration.connection() == c;
    }

    private final class ShimEvents implements ShimListener {

        @Override
        public void registered(ShimConnection c, ShimMessage.Register r) {
            if (phase != Phase.RUNNING) {
                refuse(c, -ESHUTDOWN, "the agent is stopping");
                return;
            }
            if (registration != null && registration.pid() != r.pid()) {
                refuse(c, -EBUSY, "copytool pid " + registration.pid() + " is already registered with this"
                        + " agent; run one coordinatool-mover per copytool process");
                return;
            }
            for (long id : r.archives()) {
                if (id < 1 || id > Integer.MAX_VALUE) {
                    refuse(c, -EINVAL, "archive id " + id + " outside 1.." + Integer.MAX_VALUE);
                    return;
                }
            }
            if (r.fsname().isEmpty()) {
                refuse(c, -EINVAL, "empty filesystem name");
                return;
            }
            if (registration != null) {
                // The same process reconnected: its previous control connection is finished.
                LOG.info("copytool pid {} registered again on a new connection", r.pid());
                shim.closeAfterFlush(registration.connection());
                registrationEnded();
                lastDelivered.clear();
            }
            registration = new Registration(c, r.pid(), r.mnt());
            shim.send(c, ShimProtocol.registerReply(0), () -> { });
            LOG.info("copytool pid {} registered on {} (filesystem {}, {})", r.pid(), r.mnt(), r.fsname(),
                    r.archives().isEmpty() ? "every archive" : "archives " + r.archives());
            Announcement a = new Announcement(r.fsname(), r.archives());
            if (link.state() == CoordinatorLink.State.IDLE) {
                announcement = a;
                link.connect();
            } else if (!a.equals(announcement)) {
                announcement = a;
                if (link.connected()) {
                    reconnect();
                }
            }
        }

        @Override
        public void recv(ShimConnection c, long bufferSize) {
            if (!current(c) || phase != Phase.RUNNING) {
                return;
            }
            if (wanted != 0) {
                protocolError(c, "RECV while another one is outstanding");
                return;
            }
            if (bufferSize < MoverSettings.MIN_HAL_SIZE) {
                protocolError(c, "RECV for a buffer of " + bufferSize + " bytes, too small for any action list");
                return;
            }
            lastDelivered.clear();
            wanted = bufferSize;
            askForWork();
        }

        @Override
        public void rejected(ShimConnection c, int rc) {
            if (!current(c)) {
                return;
            }
            notDelivered(new ArrayList<>(lastDelivered), "copytool pid " + registration.pid()
                    + " could not take the action list (rc " + rc + ")");
        }

        @Override
        public void unregistered(ShimConnection c, boolean recvPending) {
            if (!current(c)) {
                return;
            }
            LOG.info("copytool pid {} unregistered", registration.pid());
            if (recvPending) {
                notDelivered(new ArrayList<>(lastDelivered), "copytool pid " + registration.pid()
                        + " unregistered without reading its last action list");
            }
            lastDelivered.clear();
            registrationEnded();
        }

        @Override
        public void controlLost(ShimConnection c) {
            if (!current(c)) {
                return;
            }
            // Its workers may still end what it received: those stay running until the process exits.
            LOG.warn("lost the connection of copytool pid {}", registration.pid());
            lastDelivered.clear();
            registrationEnded();
        }

        @Override
        public void begun(ItemKey key, int rc) {
            if (rc < 0) {
                LOG.warn("the copytool could not begin {} (rc {})", key, rc);
            } else {
                LOG.debug("begun: {}", key);
            }
        }

        @Override
        public void ended(ItemKey key, int status) {
            RunningItems.Running ended = running.remove(key);
            if (ended == null) {
                LOG.info("end of {}, which is not running here (a cancel, or given back already): not reported",
                        key);
                return;
            }
            if (lastDelivered.contains(key)) {
                // The copytool has the last list: a REJECT cannot concern it any more.
                lastDelivered.clear();
            }
            WireItem item = ended.item();
            ActionType type = ActionType.ofRequestCode(item.action());
            if (type != null) {
                metrics.ended(type, status, System.nanoTime() - ended.deliveredNanos());
            }
            if (status != 0) {
                LOG.info("{} ended with status {}", key, status);
            } else {
                LOG.debug("done: {}", key);
            }
            dones.add(item, status);
            sendDones();
            if (phase == Phase.DRAINING && running.isEmpty()) {
                shutDownCopytool();
            }
        }
    }

    @Override
    public String toString() {
        return "MoverAgent[" + Objects.toString(client.clientId()) + "]";
    }
}
