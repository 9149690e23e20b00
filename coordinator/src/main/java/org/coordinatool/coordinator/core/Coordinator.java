package org.coordinatool.coordinator.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.ServerSettings;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.coordinator.queue.Sequencer;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.coordinator.report.Reporter;
import org.coordinatool.coordinator.schedule.Batching;
import org.coordinatool.coordinator.schedule.Dispatcher;
import org.coordinatool.coordinator.schedule.HostMapper;
import org.coordinatool.coordinator.schedule.Router;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state and the handling of everything that happens to it: client commands,
 * connections coming and going, action lists from Lustre, start-up recovery and the timer.
 *
 * <p>All methods run on the single state loop. Every event ends with a scheduling pass for the
 * waiting clients when it may have made work available, the lock-and-quit check and a flush of
 * the persistence writes it caused.
 *
 * <p>Differences from the original server, all deliberate: errors carry positive errno values;
 * a {@code done} for a request that is not running on the sender is refused (status
 * {@value #EINVAL}) and changes nothing, while a {@code done} for an unknown request is still
 * answered with success (double acknowledgements after cancels are normal); a {@code done} whose
 * cookie is a 32-bit truncation of a running request's cookie is accepted; adopted running
 * requests count in the adopting connection's counters and pending cancels follow them; connections
 * that never named themselves nor asked for work are not counted as agents.
 */
public final class Coordinator implements CoordinatorEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    static final int EINVAL = 22;
    static final int EEXIST = 17;

    /** status verbosity from which queue contents are dumped. */
    static final int DUMP_VERBOSITY = LogLevel.DEBUG.value();

    /** Shortest time between two timer expiries, so a deadline that keeps recurring cannot spin the loop. */
    static final long MIN_TIMER_INTERVAL = TimeUnit.SECONDS.toNanos(1);

    private static final long MAX_ARCHIVE_ID = Integer.MAX_VALUE;

    /**
     * Commands a client may send while one of its paths is being resolved; past that it is
     * disconnected rather than held in memory without bound.
     */
    static final int MAX_HELD_COMMANDS = 1024;

    private final String fsname;
    private final RequestStore store;
    private final Clock clock;
    private final MonotonicTime time;
    private final Timers timers;
    private final Runnable onTerminate;
    private final Stats stats = new Stats();
    private final Sequencer sequencer = new Sequencer();
    private final Reporter reporter;
    private final Batching batching;
    private final Clients clients;
    private final Requests requests;
    private final Dispatcher dispatcher;
    private final PathResolver pathResolver;
    private final RequestFinder finder;

    private int lockMode;
    private boolean terminationStarted;
    private boolean shutDown;
    private Timers.Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private long lastTimerRun = Long.MIN_VALUE;

    /**
     * @param settings     scheduling, grace, batching and reporting settings
     * @param fsname       the Lustre filesystem name, sent in every action list and checked in
     *                     ehlo and queue
     * @param store        persistence of requests and assignments
     * @param canceller    reports requests cancelled while queued to Lustre
     * @param clock        time source; deadlines use its monotonic clock
     * @param timers       runs the timer on the state loop
     * @param random       picks the starting host of random host mappings
     * @param reportWriter report file operations, used when reporting is configured
     * @param pathResolver resolves the paths of find commands
     * @param onTerminate  run once when lock-and-quit finds nothing running any more
     * @param telemetry    told what happens to requests, for monitoring
     */
    public Coordinator(ServerSettings settings, String fsname, RequestStore store, LustreCanceller canceller,
                       Clock clock, Timers timers, Random random, ReportWriter reportWriter, PathResolver pathResolver,
                       Runnable onTerminate, RequestTelemetry telemetry) {
        this.fsname = fsname;
        this.store = store;
        this.clock = clock;
        this.time = new MonotonicTime(clock);
        this.timers = timers;
        this.onTerminate = onTerminate;
        this.reporter = reporter(settings, reportWriter);
        long idle = TimeUnit.SECONDS.toNanos(settings.batchIdleSeconds());
        boolean batchingOn = idle > 0 && settings.slotsPerClient() > 0;
        if (idle > 0 && !batchingOn) {
            LOG.warn("batch_archives_slices_sec is set but batch_archives_slots_per_client is 0: batching is off");
        }
        this.clients = new Clients(sequencer, stats, batchingOn ? settings.slotsPerClient() : 0, batchingOn, clock,
                time, TimeUnit.MILLISECONDS.toNanos(settings.clientGraceMs()), this::deadlineCreated);
        this.batching = new Batching(idle, TimeUnit.SECONDS.toNanos(settings.batchMaxSeconds()),
                settings.slotsPerClient(), clients, this::deadlineCreated);
        this.requests = new Requests(sequencer, batching.enabled(), stats, store, reporter, canceller, telemetry,
                time::now);
        HostMapper mapper = new HostMapper(settings.hostMappings(), random, clients);
        this.requests.router(new Router(requests, batching, mapper, reporter, time::now));
        this.dispatcher = new Dispatcher(requests, stats, batching, reporter, clients::agentCount, fsname);
        this.pathResolver = pathResolver;
        this.finder = new RequestFinder(requests, clients, time);
    }

    private Reporter reporter(ServerSettings settings, ReportWriter writer) {
        if (!settings.reportingEnabled()) {
            if (settings.reportingDir().isPresent() || settings.reportingHint().isPresent()) {
                LOG.warn("Reporting needs both reporting_dir and reporting_hint: reporting is off");
            }
            return Reporter.disabled();
        }
        return new Reporter(writer, settings.reportingHint().get(),
                TimeUnit.MILLISECONDS.toNanos(settings.reportingScheduleIntervalMs()), time::now,
                this::deadlineCreated);
    }

    // ---------------------------------------------------------------- events

    @Override
    public void connected(ClientConnection connection) {
        if (shutDown) {
            connection.close();
            return;
        }
        Client c = clients.connect(connection);
        LOG.debug("New connection from {}", c.id());
        endOfEvent();
    }

    @Override
    public void received(ClientConnection connection, Command command) {
        if (shutDown) {
            return;
        }
        Client c = clients.of(connection);
        if (c == null) {
            LOG.warn("Command {} from unknown connection {} ignored", command.name(), connection.peerName());
            return;
        }
        if (c.resolving()) {
            if (c.hold(command) > MAX_HELD_COMMANDS) {
                LOG.warn("{} sent more than {} commands while its find waited for a path; disconnecting it", c.id(),
                        MAX_HELD_COMMANDS);
                c.dropHeld();
                connection.close();
            }
            return;
        }
        handle(c, command);
        endOfEvent();
    }

    private void handle(Client c, Command command) {
        if (command instanceof Command.Ehlo e) {
            ehlo(c, e);
        } else if (command instanceof Command.Recv r) {
            recv(c, r);
        } else if (command instanceof Command.Done d) {
            done(c, d);
        } else if (command instanceof Command.Queue q) {
            queue(c, q);
        } else if (command instanceof Command.Status s) {
            c.connection().send(s.summaryOnly() ? summary() : status(s.verbose()));
        } else if (command instanceof Command.Lock l) {
            lock(c, l);
        } else if (command instanceof Command.Find f) {
            find(c, f);
        } else if (command instanceof Command.Invalid invalid) {
            LOG.warn("Invalid request from {}: {}", c.id(), invalid.error());
            reply(c, invalid.name(), EINVAL, invalid.error());
        } else if (command instanceof Command.Denied denied) {
            reply(c, denied.name(), denied.status(), denied.error());
        }
    }

    @Override
    public void disconnected(ClientConnection connection) {
        if (shutDown) {
            return;
        }
        Client c = clients.of(connection);
        if (c == null) {
            return;
        }
        c.dropHeld();
        if (c.state() == ClientState.INIT || !c.idSet()) {
            LOG.debug("Connection {} closed", c.id());
            free(c);
            passAll();
        } else {
            clients.disconnect(c);
            batching.clientDisconnected(c);
            LOG.info("Client {} disconnected; its work is kept for it during the grace period", c.id());
        }
        endOfEvent();
    }

    @Override
    public void fromLustre(HsmActionList list) {
        if (shutDown) {
            return;
        }
        if (!list.hasSupportedVersion()) {
            LOG.error("Action list of unsupported version {} ignored ({} items)", list.version(), list.count());
            return;
        }
        if (!fsname.equals(list.fsname())) {
            LOG.error("Action list for filesystem {} received on {}; accepting it", list.fsname(), fsname);
        }
        long timestamp = clock.epochNanos();
        for (HsmActionItem hai : list.items()) {
            WireItem item = new WireItem(hai.actionCode(), hai.fid(), hai.dfid(), hai.extent().offset(),
                    hai.extent().length(), hai.cookie(), hai.gid(), list.archiveId(), list.flags(), hai.data(),
                    timestamp, null);
            if (hai.actionCode() == HsmAction.CANCEL.code()) {
                requests.cancel(item);
            } else if (ActionType.ofRequestCode(hai.actionCode()) == null) {
                LOG.error("Lustre sent unknown action {} for {}; ignored", hai.actionCode(), hai.dfid().format());
            } else {
                Request r = requests.receive(item);
                if (r == null) {
                    LOG.debug("Duplicate request from Lustre ignored: {}", hai);
                } else {
                    RequestLog.LOG.info("New {} {} cookie 0x{} archive {} data {}", r.type().wireName(), hai.fid().format(),
                            Long.toHexString(hai.cookie()), Integer.toUnsignedString(list.archiveId()),
                            printable(item.data()));
                    requests.route(r);
                }
            }
        }
        passAll();
        endOfEvent();
    }

    @Override
    public void recovered(List<WireItem> items, List<Assignment> assignments) {
        requests.reserve(items.size());
        int restored = 0;
        for (WireItem item : items) {
            Request r = registerStored(item);
            if (r != null) {
                requests.route(r);
                restored++;
            }
        }
        int reassigned = 0;
        for (Assignment a : assignments) {
            Request r = requests.find(a.cookie(), a.dfid());
            if (r == null) {
                LOG.info("Assignment of unknown request {} cookie 0x{} to {} dropped", a.dfid().format(),
                        Long.toHexString(a.cookie()), a.clientId());
                store.unassigned(identityOnly(a.cookie(), a.dfid()));
                continue;
            }
            Client c = clients.connected(a.clientId());
            if (c == null) {
                c = clients.disconnected(a.clientId());
            }
            if (c == null) {
                c = clients.placeholder(a.clientId());
            }
            requests.start(r, c, null);
            reassigned++;
        }
        LOG.info("Recovered {} requests, {} of them running", restored, reassigned);
        passAll();
        endOfEvent();
    }

    /**
     * Unlike {@link #recovered}, this runs while agents work: a known request is left as it is (a
     * running one is never taken from its agent), and a persisted assignment only holds a queued
     * request for an agent that is not connected, which may still run it and claim it back within
     * its grace period. A connected agent has already said in its ehlo what it runs, so a request
     * persisted as running on it is queued instead.
     */
    @Override
    public void recoveredLate(List<WireItem> items, List<Assignment> assignments) {
        if (shutDown) {
            return;
        }
        List<Request> added = new ArrayList<>();
        requests.reserve(items.size());
        for (WireItem item : items) {
            Request r = registerStored(item);
            if (r != null) {
                added.add(r);
            }
        }
        int held = 0;
        int requeued = 0;
        for (Assignment a : assignments) {
            Request r = requests.find(a.cookie(), a.dfid());
            if (r == null || r.isRunning()) {
                continue;
            }
            if (clients.connected(a.clientId()) != null) {
                LOG.info("{} was persisted as running on {}, which is connected and did not claim it; queued", r,
                        a.clientId());
                requeued++;
                continue;
            }
            Client c = clients.disconnected(a.clientId());
            if (c == null) {
                c = clients.placeholder(a.clientId());
            }
            requests.start(r, c, null);
            held++;
        }
        for (Request r : added) {
            if (!r.isRunning()) {
                requests.route(r);
            }
        }
        LOG.info("Recovered {} of {} requests persisted before the start (the others are known or invalid); {} held"
                + " for disconnected agents, {} queued instead of assigned to a connected agent", added.size(),
                items.size(), held, requeued);
        passAll();
        endOfEvent();
    }

    /** Registers a request read from the store; null when it is invalid (logged) or known. */
    private Request registerStored(WireItem item) {
        String problem = itemProblem(item);
        if (problem != null) {
            LOG.error("Stored request {} not recovered: {}", item, problem);
            return null;
        }
        return requests.register(item);
    }

    @Override
    public void forEachRequest(BiConsumer<WireItem, String> visitor) {
        requests.forEach(r -> visitor.accept(r.stored(), r.owner() == null ? null : r.owner().id()));
    }

    /**
     * Clean shutdown: closes every connection and stops the timer, but keeps every request and
     * assignment where it is, so the persisted state lets a restarted server give each agent its
     * running work back. Later events are ignored.
     */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        for (Client c : clients.connectedClients()) {
            c.connection().close();
        }
        store.flush();
    }

    // ---------------------------------------------------------------- commands

    private void ehlo(Client c, Command.Ehlo e) {
        if (c.state() != ClientState.INIT) {
            reply(c, "ehlo", EINVAL, "Client cannot send EHLO twice");
            return;
        }
        if (e.fsname() != null && !e.fsname().equals(fsname)) {
            LOG.warn("ehlo from {} for filesystem {} refused, this is {}", c.id(), e.fsname(), fsname);
            reply(c, "ehlo", EINVAL, "Bad fsname");
            return;
        }
        int[] archiveIds = null;
        if (e.archiveIds() != null) {
            archiveIds = archiveIds(e.archiveIds());
            if (archiveIds == null) {
                reply(c, "ehlo", EINVAL, "Bad archive id in list");
                return;
            }
        }
        String id = e.id() == null || e.id().isEmpty() ? null : e.id();
        if (clients.idInUse(id != null ? id : c.id())) {
            reply(c, "ehlo", EEXIST, "id already used by another client");
            return;
        }
        if (archiveIds != null) {
            c.archiveIds(archiveIds);
        }
        if (id == null) {
            c.state(ClientState.READY);
            clients.ready(c);
            reply(c, "ehlo", 0, null);
            return;
        }
        Client previous = clients.disconnected(id);
        Client agent = c;
        if (previous != null) {
            clients.adopt(c, previous);
            agent = previous;
            batching.clientConnected(agent);
            LOG.info("Client {} reconnected from {}", id, c.id());
        } else {
            c.id(id);
            LOG.info("Client {} connected from {}", id, agent.connection().peerName());
        }
        agent.markIdSet();
        agent.state(ClientState.READY);
        clients.ready(agent);
        clients.agent(agent);
        claim(agent, e);
        reply(agent, "ehlo", 0, null);
        passAll();
    }

    /**
     * The agent's hai_list says what it still runs: those requests are (re)started on it, unknown
     * ones are registered first; whatever it ran before and did not claim goes back to the queues.
     */
    private void claim(Client agent, Command.Ehlo e) {
        for (String reason : e.invalidItems()) {
            LOG.warn("ehlo from {}: hai_list item skipped: {}", agent.id(), reason);
        }
        RequestQueue unclaimed = new RequestQueue(sequencer, false, stats.activeMembership(agent));
        agent.active().moveAllToFront(unclaimed);
        if (e.haiList() != null) {
            long timestamp = clock.epochNanos();
            for (WireItem item : e.haiList()) {
                Request r = requests.find(item.cookie(), item.dfid());
                if (r == null && agent.recentCompletions.contains(item.cookie(), item.dfid())) {
                    LOG.info("ehlo from {}: {} cookie 0x{} already completed by it (the reply to its done was lost"
                            + " with the connection); not registered again", agent.id(), item.dfid().format(),
                            Long.toHexString(item.cookie()));
                    continue;
                }
                if (r == null) {
                    String problem = itemProblem(item);
                    if (problem != null) {
                        LOG.warn("ehlo from {}: unknown hai_list item {} skipped: {}", agent.id(), item, problem);
                        continue;
                    }
                    r = requests.register(stamped(item, timestamp));
                }
                requests.start(r, agent, null);
            }
        }
        List<Request> lost = unclaimed.toList();
        if (!lost.isEmpty()) {
            LOG.info("{} did not claim {} requests it ran before reconnecting", agent.id(), lost.size());
        }
        for (Request r : lost) {
            requests.requeue(r);
        }
    }

    private void recv(Client c, Command.Recv r) {
        c.limits(r.maxRestore(), r.maxArchive(), r.maxRemove(), r.maxBytes());
        int slots = batching.slotsPerClient();
        if (batching.enabled() && r.maxArchive() > 0 && r.maxArchive() % slots != 0) {
            LOG.warn("{}: max_archive {} is not a multiple of the {} batch slots; later slots get less",
                    c.id(), r.maxArchive(), slots);
        }
        if (c.state() != ClientState.READY) {
            reply(c, "recv", EINVAL, "Client must send EHLO first and not already be in RECV");
            return;
        }
        if (r.maxBytes() >= 0 && r.maxBytes() < Dispatcher.MARGIN) {
            reply(c, "recv", EINVAL, "Buffer too small");
            return;
        }
        clients.agent(c);
        clients.enterWaiting(c);
        pass(c);
    }

    private void done(Client c, Command.Done d) {
        if (d.cookie() == null || d.dfid() == null) {
            reply(c, "done", EINVAL, "cookie or fid not set -- old client?");
            return;
        }
        long cookie = d.cookie();
        Request r = requests.find(cookie, d.dfid());
        if (r == null && isTruncatedCookie(cookie)) {
            r = requests.findRunningByLowCookie(cookie, d.dfid(), c);
        }
        if (r == null) {
            LOG.info("done from {} for unknown {} cookie 0x{} (double ack on cancel?)", c.id(), d.dfid().format(),
                    Long.toHexString(cookie));
            reply(c, "done", 0, null);
            return;
        }
        if (r.owner() != c) {
            String where = r.owner() == null ? "queued" : "running on " + r.owner().id();
            LOG.warn("done from {} for {} refused: it is {}", c.id(), r, where);
            reply(c, "done", EINVAL, "Request is not running on this client");
            return;
        }
        requests.complete(r, c, d.status());
        c.recentCompletions.add(cookie, d.dfid());
        if (c.state() == ClientState.WAITING) {
            pass(c);
        }
        reply(c, "done", 0, null);
    }

    /** A cookie the original agent library truncated to 32 bits, sign- or zero-extended. */
    private static boolean isTruncatedCookie(long cookie) {
        long high = cookie >> 32;
        return high == 0 || high == -1;
    }

    private void queue(Client c, Command.Queue q) {
        if (!q.itemsPresent()) {
            c.connection().send(new Reply.QueueResult(0, 0, EINVAL, "No hsm_action_items set"));
            return;
        }
        if (q.fsname() != null && !q.fsname().equals(fsname)) {
            c.connection().send(new Reply.QueueResult(0, 0, EINVAL, "Bad fsname"));
            return;
        }
        boolean invalid = !q.invalidItems().isEmpty();
        for (String reason : q.invalidItems()) {
            LOG.warn("queue from {}: item skipped: {}", c.id(), reason);
        }
        long timestamp = clock.epochNanos();
        requests.reserve(q.items().size());
        long enqueued = 0;
        long skipped = 0;
        for (WireItem item : q.items()) {
            String problem = itemProblem(item);
            if (problem != null) {
                LOG.warn("queue from {}: item {} skipped: {}", c.id(), item, problem);
                invalid = true;
                continue;
            }
            Request r = requests.receive(stamped(item, timestamp));
            if (r == null) {
                skipped++;
            } else {
                RequestLog.LOG.info("New {} queued by {}, archive {}", r, c.id(), Integer.toUnsignedString(item.archiveId()));
                requests.route(r);
                enqueued++;
            }
        }
        c.connection().send(invalid
                ? new Reply.QueueResult(enqueued, skipped, EINVAL, "Error while parsing hsm action items")
                : new Reply.QueueResult(enqueued, skipped, 0, null));
        passAll();
    }

    /** A find by path waits for the resolution, and the client's later commands wait behind it. */
    private void find(Client c, Command.Find f) {
        if (f.path() == null) {
            c.connection().send(finder.find(f.fid()));
            return;
        }
        c.resolving(true);
        ClientConnection connection = c.connection();
        pathResolver.resolve(f.path(), resolution -> resolved(c, connection, resolution));
    }

    private void resolved(Client c, ClientConnection connection, PathResolver.Resolution resolution) {
        if (shutDown || !c.resolving() || c.connection() != connection) {
            return;
        }
        c.resolving(false);
        if (resolution.fid() == null) {
            reply(c, "find", resolution.errno(), resolution.error());
        } else {
            c.connection().send(finder.find(resolution.fid()));
        }
        // A held ehlo may hand the connection over to a client it reconnects, a held find may
        // start another resolution: each command goes to whoever the connection is now.
        while (true) {
            Client current = clients.of(connection);
            if (current == null) {
                c.dropHeld();
                break;
            }
            if (current == c && c.resolving()) {
                break;
            }
            Command next = c.nextHeld();
            if (next == null) {
                break;
            }
            if (current.resolving()) {
                current.hold(next);
            } else {
                handle(current, next);
            }
        }
        endOfEvent();
    }

    private void lock(Client c, Command.Lock l) {
        if (l.locked() < 0 || l.locked() > 2) {
            reply(c, "lock", EINVAL, "invalid locked value");
            return;
        }
        reply(c, "lock", 0, null);
        lockMode = (int) l.locked();
        LOG.info("Lock mode set to {} by {}", lockMode, c.id());
        passAll();
    }

    // ---------------------------------------------------------------- scheduling and clients

    private void passAll() {
        if (lockMode != 0) {
            return;
        }
        for (Client c : clients.waitingClients()) {
            pass(c);
        }
    }

    private void pass(Client c) {
        if (lockMode != 0 || c.state() != ClientState.WAITING) {
            return;
        }
        long now = time.now();
        Reply.ActionList list = dispatcher.select(c, now);
        if (list != null) {
            // The reply itself is logged when its I/O thread encodes it, which under load can be
            // long after this decision; slot deadlines count from this time, so it is logged too.
            LOG.debug("{}: {} items chosen at monotonic {} ns", c.connection().peerName(), list.items().size(), now);
            clients.leaveWaiting(c);
            c.connection().send(list);
        }
    }

    /**
     * Forgets a client: everything it ran or had waiting is routed again (running requests whose
     * cancel was still pending are reported cancelled instead).
     */
    private void free(Client c) {
        clients.remove(c);
        batching.clientDisconnected(c);
        for (Request r : c.active().toList()) {
            requests.requeue(r);
        }
        for (ActionType type : new ActionType[] {ActionType.RESTORE, ActionType.ARCHIVE, ActionType.REMOVE}) {
            rerouteAll(c.waiting(type));
        }
        for (BatchSlot s : c.slots()) {
            rerouteAll(s.queue());
        }
    }

    private void rerouteAll(RequestQueue queue) {
        for (Request r : queue.toList()) {
            queue.remove(r);
            requests.route(r);
        }
    }

    private void endOfEvent() {
        if (lockMode == 2 && !terminationStarted && stats.runningTotal() == 0) {
            terminationStarted = true;
            LOG.info("Lock-and-quit: nothing is running any more, terminating");
            onTerminate.run();
        }
        store.flush();
    }

    // ---------------------------------------------------------------- timer

    /** A deadline (monotonic) was created: the timer must fire no later than that, rate limit aside. */
    private void deadlineCreated(long deadline) {
        if (shutDown) {
            return;
        }
        long at = lastTimerRun == Long.MIN_VALUE ? deadline : Math.max(deadline, lastTimerRun + MIN_TIMER_INTERVAL);
        if (timer != null && timerAt <= at) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = at;
        timer = timers.schedule(Math.max(0, at - time.now()), this::onTimer);
    }

    private void onTimer() {
        if (shutDown) {
            return;
        }
        timer = null;
        timerAt = Long.MAX_VALUE;
        long now = time.now();
        lastTimerRun = now;
        for (Client c : clients.disconnectedClients()) {
            if (clients.graceDeadline(c) <= now) {
                LOG.info("Grace period of {} expired; its work is routed again", c.id());
                free(c);
            }
        }
        passAll();
        if (reporter.tickDue(now)) {
            reporter.finishTick(now, reportProgress());
        }
        long next = reporter.nextTick();
        Client oldest = clients.oldestDisconnected();
        if (oldest != null) {
            next = Math.min(next, clients.graceDeadline(oldest));
        }
        next = Math.min(next, batching.nextDeadline(clients.allClients(), now));
        if (next != Long.MAX_VALUE) {
            deadlineCreated(next);
        }
        endOfEvent();
    }

    /** Progress lines for reported restores waiting in the restore queues. */
    private boolean reportProgress() {
        boolean written = false;
        for (Client c : clients.connectedClients()) {
            written |= reportProgress(c.waiting(ActionType.RESTORE), c.id());
        }
        return reportProgress(requests.global(ActionType.RESTORE), "global_queue") || written;
    }

    private boolean reportProgress(RequestQueue queue, String owner) {
        if (queue.reportedCount() == 0) {
            return false;
        }
        int total = queue.size();
        int[] position = {0};
        queue.forEach(r -> {
            position[0]++;
            if (r.report() != null) {
                reporter.progress(r.report(), r.dfid(), owner, position[0], total);
            }
        });
        return true;
    }

    // ---------------------------------------------------------------- status

    /** The global counters without any client or request detail. */
    private Reply.StatusReport summary() {
        return new Reply.StatusReport(counters(), clients.agentCount(), lockMode, List.of(), null);
    }

    /** The gauges monitoring reads, taken now (on the state loop). */
    public CoordinatorSample sample() {
        long[] waiting = new long[ActionType.COUNTED];
        long[] running = new long[ActionType.COUNTED];
        for (ActionType t : ActionType.PRIORITY) {
            waiting[t.ordinal()] = stats.pending(t);
            running[t.ordinal()] = stats.running(t);
        }
        List<CoordinatorSample.ClientSample> samples = new ArrayList<>();
        for (Client c : clients.allClients()) {
            // Unnamed connections (admin clients) are not agents; remembered clients all have names.
            if (c.idSet() || !c.isConnected()) {
                samples.add(clientSample(c));
            }
        }
        return new CoordinatorSample(waiting, running, stats.pendingCancel(), clients.agentCount(), lockMode, samples);
    }

    private static CoordinatorSample.ClientSample clientSample(Client c) {
        long[] queued = new long[ActionType.COUNTED];
        long[] running = new long[ActionType.COUNTED];
        for (ActionType t : ActionType.PRIORITY) {
            queued[t.ordinal()] = c.waiting(t).size();
            running[t.ordinal()] = c.current(t);
        }
        for (BatchSlot s : c.slots()) {
            queued[ActionType.ARCHIVE.ordinal()] += s.queue().size();
        }
        return new CoordinatorSample.ClientSample(c.id(), c.isConnected(), queued, running);
    }

    private Reply.StatusReport status(int verbose) {
        boolean dump = verbose >= DUMP_VERBOSITY;
        List<Reply.ClientReport> reports = new ArrayList<>();
        for (Client c : clients.connectedClients()) {
            reports.add(clientReport(c, dump));
        }
        for (Client c : clients.disconnectedClients()) {
            reports.add(clientReport(c, dump));
        }
        Reply.QueueDump global = dump
                ? new Reply.QueueDump(dump(requests.global(ActionType.RESTORE)),
                        dump(requests.global(ActionType.REMOVE)), dump(requests.global(ActionType.ARCHIVE)))
                : null;
        return new Reply.StatusReport(counters(), clients.agentCount(), lockMode, reports, global);
    }

    private Reply.Counters counters() {
        return new Reply.Counters(
                stats.running(ActionType.RESTORE), stats.running(ActionType.ARCHIVE), stats.running(ActionType.REMOVE),
                stats.pending(ActionType.RESTORE), stats.pending(ActionType.ARCHIVE), stats.pending(ActionType.REMOVE),
                stats.pendingCancel(),
                stats.done(ActionType.RESTORE), stats.done(ActionType.ARCHIVE), stats.done(ActionType.REMOVE),
                stats.doneCancel());
    }

    private Reply.ClientReport clientReport(Client c, boolean dump) {
        List<Reply.BatchReport> batches = new ArrayList<>(c.slots().length);
        for (BatchSlot s : c.slots()) {
            batches.add(new Reply.BatchReport(
                    s.hint() == null ? null : fromLatin1Bytes(s.hint()), s.running(),
                    epochSeconds(s.hint() == null ? BatchSlot.NO_DEADLINE : s.expireIdle()),
                    epochSeconds(s.hint() == null ? BatchSlot.NO_DEADLINE : s.expireMax()),
                    dump ? dump(s.queue()) : null));
        }
        Reply.ClientQueueDump queues = dump
                ? new Reply.ClientQueueDump(dump(c.active()), dump(c.waiting(ActionType.RESTORE)),
                        dump(c.waiting(ActionType.REMOVE)), dump(c.waiting(ActionType.ARCHIVE)), dump(c.cancels()))
                : null;
        return new Reply.ClientReport(c.id(),
                c.current(ActionType.RESTORE), c.current(ActionType.ARCHIVE), c.current(ActionType.REMOVE),
                c.done(ActionType.RESTORE), c.done(ActionType.ARCHIVE), c.done(ActionType.REMOVE),
                c.state().wireName(), batches, c.isConnected() ? 0 : c.disconnectedEpochNanos(), queues,
                new Reply.Limits(c.max(ActionType.RESTORE), c.max(ActionType.ARCHIVE), c.max(ActionType.REMOVE)));
    }

    private long epochSeconds(long monotonicDeadline) {
        if (monotonicDeadline == BatchSlot.NO_DEADLINE) {
            return 0;
        }
        return Math.max(0, time.toEpochNanos(monotonicDeadline)) / 1_000_000_000L;
    }

    private static List<Reply.DumpEntry> dump(RequestQueue queue) {
        List<Reply.DumpEntry> entries = new ArrayList<>(queue.size());
        queue.forEach(r -> {
            byte[] data = r.item().data();
            entries.add(new Reply.DumpEntry(r.dfid(), r.cookie(), Arrays.copyOf(data, Request.cStringLength(data))));
        });
        return entries;
    }

    // ---------------------------------------------------------------- helpers

    private static void reply(Client c, String command, int status, String error) {
        c.connection().send(new Reply.Simple(command, status, error));
    }

    /** Why an item cannot become a request, null when it can. */
    private static String itemProblem(WireItem item) {
        if (ActionType.ofRequestCode(item.action()) == null) {
            return "action " + item.action() + " is not archive, restore or remove";
        }
        if (item.archiveId() == 0) {
            return "hal_archive_id missing or 0";
        }
        return null;
    }

    private static WireItem stamped(WireItem item, long timestamp) {
        return item.timestamp() != 0 ? item : item.withTimestamp(timestamp);
    }

    /** Archive ids sorted, or null if one is outside 1..2^31-1. */
    private static int[] archiveIds(List<Long> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            Long id = ids.get(i);
            if (id == null || id < 1 || id > MAX_ARCHIVE_ID) {
                return null;
            }
            out[i] = id.intValue();
        }
        Arrays.sort(out);
        return out;
    }

    /** An item naming a request by identity alone, to drop a stale persisted assignment. */
    private static WireItem identityOnly(long cookie, Fid dfid) {
        return new WireItem(HsmAction.NONE.code(), dfid, dfid, 0, 0, cookie, 0, 0, 0, new byte[0], 0, null);
    }

    /** A batching tag (one char per byte) as the text the status reply shows. */
    private static String fromLatin1Bytes(String hint) {
        return new String(hint.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String printable(byte[] data) {
        StringBuilder sb = new StringBuilder(data.length);
        for (byte b : data) {
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return sb.toString();
    }
}
