package org.coordinatool.coordinator.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.JsonStyle;
import org.coordinatool.coordinator.protocol.WireItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request store in Redis, in the original server's schema (two hashes keyed by
 * {@link RequestKeys}), so a site can switch between the two servers on the same Redis.
 *
 * <p>Writes come from the state loop and must never wait for Redis: they are gathered per hash
 * field, so only each field's final state counts, and {@link #flush()} sends them at the end of
 * each loop event as one multi-field HSET and one multi-field HDEL per hash, on one lettuce
 * connection with automatic flushing off: a few commands per flush rather than a few per request,
 * which keeps Redis, the replies to check and the command timeouts proportional to the flushes. Replies are checked on lettuce's I/O thread: an error reply is logged and counted; a
 * missing reply or a dropped connection closes the connection and starts reconnecting with capped
 * exponential back-off.
 *
 * <p>Writes attempted while disconnected are dropped, and every (re)connection is followed by a
 * re-synchronisation: the state loop's full state is copied into temporary hashes in batches, the
 * changes made meanwhile are replayed onto them, and one Lua script renames both over the real
 * hashes atomically, so Redis never shows a partial state. Before the first re-synchronisation,
 * what Redis holds from a previous run must be in memory, or the copy would erase the persisted
 * queue: recovery ({@link RedisRecovery#run}) reads it at start-up; when Redis was unreachable
 * then, the first connection reads it ({@link RedisRecovery#read}) and hands it to
 * {@link CoordinatorEvents#recoveredLate} before copying. Until then writes are held back too
 * (the copy makes up for them), and the requests dropped meanwhile are remembered, so a request
 * finished while Redis was away does not come back from the persisted queue.
 *
 * <p>Threading: {@link RequestStore} methods and everything touching {@code resync} run on the
 * state loop; connection hand-over happens there too.
 */
public final class RedisStore implements RequestStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

    static final byte[] REQUESTS = ascii("coordinatool_requests");
    static final byte[] ASSIGNED = ascii("coordinatool_assigned");
    static final byte[] RESYNC_REQUESTS = ascii("coordinatool_requests:resync");
    static final byte[] RESYNC_ASSIGNED = ascii("coordinatool_assigned:resync");

    /**
     * Replaces KEYS[2] by KEYS[1] and KEYS[4] by KEYS[3] in one atomic step. An empty hash does
     * not exist in Redis, so a missing temporary hash means the real one must go.
     */
    private static final String SWAP_SCRIPT = """
            for i = 1, 3, 2 do
              if redis.call('exists', KEYS[i]) == 1 then
                redis.call('rename', KEYS[i], KEYS[i + 1])
              else
                redis.call('del', KEYS[i + 1])
              end
            end
            return 1
            """;

    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long UNREACHABLE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RedisSettings settings;
    private final Executor stateLoop;
    private final Supplier<CoordinatorEvents> events;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final boolean connectedAtStart;

    /** Written on the state loop, read anywhere (close, disconnect listener). */
    private volatile Link link;
    private volatile boolean closed;

    // State-loop confined.
    private boolean unflushed;
    private final PendingWrites pending = new PendingWrites();
    private Resync resync;
    private boolean recoveryFinished;
    private boolean resyncNeeded;
    private boolean suppressStores;
    /** Redis may hold a previous run's queue that is not in memory yet. */
    private boolean mergePending;
    /** The link a late read of Redis runs on, null when none runs. */
    private Link merging;
    /** Requests dropped while mergePending: a stale persisted copy of them is not merged. */
    private Set<RequestKeys.Id> forgottenBeforeMerge = new HashSet<>();

    // Reconnection chain: one attempt at a time, but each step runs on another thread.
    private volatile long reconnectAttempts;
    private volatile long lastUnreachableLog;

    private final LongAdder writes = new LongAdder();
    private final LongAdder failedWrites = new LongAdder();
    private final LongAdder skippedWrites = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final AtomicLong nextErrorLog = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressedErrors = new AtomicLong();
    private volatile LongConsumer flushObserver;

    /** Counters for status and logs; all since start. */
    public record Stats(boolean connected, long writes, long failedWrites,
                        long skippedWhileDisconnected, long resyncs, long connections) {
    }

    private RedisStore(RedisSettings settings, Executor stateLoop,
                       Supplier<CoordinatorEvents> events) {
        this.settings = settings;
        this.stateLoop = stateLoop;
        this.events = events;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .build();
        this.uri = RedisURI.builder()
                .withHost(settings.host())
                .withPort(settings.port())
                .withTimeout(settings.connectTimeout())
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                // Reconnection is ours: lettuce's would replay old commands and hide the moment a
                // re-synchronisation is needed.
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // RESP2 works with every Redis version a site may still run; no HELLO round trip.
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                Link l = link;
                if (l != null && l.connection == handler) {
                    onLoop(() -> lost(l, "connection closed"));
                }
            }
        });
        StatefulRedisConnection<byte[], byte[]> first = null;
        try {
            first = client.connect(ByteArrayCodec.INSTANCE, uri);
        } catch (RuntimeException e) {
            log.warn("DEGRADED MODE: Redis at {}:{} is unreachable ({}); requests are kept in"
                            + " memory only and the connection is retried in the background",
                    settings.host(), settings.port(), describe(e));
        }
        this.connectedAtStart = first != null;
        this.mergePending = !connectedAtStart;
        if (first != null) {
            first.setAutoFlushCommands(false);
            link = new Link(first);
            connections.increment();
            log.info("connected to Redis at {}:{}", settings.host(), settings.port());
        } else {
            scheduleReconnect(settings.initialBackoff().toNanos());
        }
    }

    /**
     * Connects to Redis, or starts in degraded mode (memory only, reconnecting in the background)
     * when it is unreachable; never fails because of Redis. {@link RedisRecovery#run} must follow
     * before the server accepts work: until it has run, no re-synchronisation overwrites Redis.
     *
     * @param stateLoop the executor owning the coordinator state
     * @param events    the coordinator, asked for its full state when Redis must be re-synchronised
     *                  (a supplier because the coordinator is built with this store)
     */
    public static RedisStore connect(String host, int port, Executor stateLoop,
                                     Supplier<CoordinatorEvents> events) {
        return connect(RedisSettings.of(host, port), stateLoop, events);
    }

    public static RedisStore connect(RedisSettings settings, Executor stateLoop,
                                     Supplier<CoordinatorEvents> events) {
        return new RedisStore(settings, stateLoop, events);
    }

    public boolean isConnected() {
        return link != null;
    }

    public Stats stats() {
        return new Stats(link != null, writes.sum(), failedWrites.sum(), skippedWrites.sum(),
                resyncs.sum(), connections.sum());
    }

    public RedisSettings settings() {
        return settings;
    }

    /**
     * From now on, {@code observer} is given the nanoseconds from each flush of pipelined writes
     * to the successful reply of the last of them (on a Redis I/O thread).
     */
    public void observeFlushes(LongConsumer observer) {
        flushObserver = observer;
    }

    // ---------------------------------------------------------------- RequestStore

    @Override
    public void stored(WireItem item) {
        if (resync != null) {
            resync.changes.stored(item);
        }
        if (writableLink() != null) {
            pending.stored(item);
        }
    }

    @Override
    public void assigned(WireItem item, String clientId) {
        if (resync != null) {
            resync.changes.assigned(item, clientId);
        }
        if (writableLink() != null) {
            pending.assigned(item, clientId);
        }
    }

    @Override
    public void unassigned(WireItem item) {
        if (resync != null) {
            resync.changes.unassigned(item);
        }
        if (writableLink() != null) {
            pending.unassigned(item);
        }
    }

    @Override
    public void forgotten(WireItem item) {
        if (mergePending) {
            forgottenBeforeMerge.add(RequestKeys.Id.of(item));
        }
        if (resync != null) {
            resync.changes.forgotten(item);
        }
        if (writableLink() != null) {
            pending.forgotten(item);
        }
    }

    @Override
    public void flush() {
        Link l = link;
        if (l != null && !pending.isEmpty()) {
            pending.drainTo(l, REQUESTS, ASSIGNED);
        }
        if (unflushed) {
            unflushed = false;
            if (l != null) {
                l.connection.flushCommands();
                timeFlush(l.lastWrite);
            }
        }
    }

    private void timeFlush(RedisFuture<?> last) {
        LongConsumer observer = flushObserver;
        if (observer != null && last != null) {
            long start = System.nanoTime();
            last.whenComplete((v, e) -> {
                if (e == null) {
                    observer.accept(System.nanoTime() - start);
                }
            });
        }
    }

    /**
     * Sends what is queued and waits (at most the command timeout) for Redis to acknowledge it,
     * then disconnects. Call once the state loop has stopped producing events.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        finishResyncOnLoop();
        closed = true;
        Link l = link;
        link = null;
        if (l != null) {
            // Redis answers in order: once the last write is acknowledged, all earlier ones are.
            l.connection.flushCommands();
            RedisFuture<?> last = l.lastWrite;
            if (last != null) {
                try {
                    last.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    log.warn("the last writes may not have reached Redis: {}", describe(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            l.connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        log.info("Redis store closed ({} writes, {} failed, {} skipped while disconnected, {}"
                        + " re-synchronisations)", writes.sum(), failedWrites.sum(),
                skippedWrites.sum(), resyncs.sum());
    }

    /**
     * A copy cut short by the stop would leave Redis without the writes skipped while it was
     * unreachable, so requests already acknowledged would be lost: the copy is completed, without
     * its flow control, before the connection closes.
     */
    private void finishResyncOnLoop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            stateLoop.execute(() -> {
                try {
                    if (link != null && resync == null && resyncNeeded && recoveryFinished && !mergePending) {
                        startResync();
                    }
                    Resync r = resync;
                    while (r != null && resync == r) {
                        sendNextBatch(r);
                    }
                    flush();
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            done.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The state loop is gone: nothing can change the state any more, nor finish a copy,
            // so this thread may send what it left unflushed.
            log.debug("state loop stopped before the Redis store closed");
            flush();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the re-synchronisation in progress may not have been completed: {}", describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- recovery hand-over

    boolean connectedAtStart() {
        return connectedAtStart;
    }

    Executor stateLoop() {
        return stateLoop;
    }

    /** The connection recovery reads from; null once it is lost. */
    StatefulRedisConnection<byte[], byte[]> recoveryConnection() {
        Link l = link;
        return l == null ? null : l.connection;
    }

    /**
     * On the state loop: hands the recovered requests to the coordinator, then fixes up Redis
     * (removes assignments of unknown requests, moves entries stored under a key that does not
     * match their content) and allows re-synchronisation from now on.
     */
    void deliverRecovery(List<WireItem> items, List<CoordinatorEvents.Assignment> assignments,
                         List<byte[]> staleAssignments, List<Misfiled> misfiled) {
        // The coordinator stores every request it registers and every assignment it makes; these
        // were just read from Redis, and writing them back would queue commands for nothing.
        suppressStores = true;
        try {
            events.get().recovered(items, assignments);
        } finally {
            suppressStores = false;
        }
        Link l = staleAssignments.isEmpty() && misfiled.isEmpty() ? null : writableLink();
        if (l != null) {
            for (byte[] key : staleAssignments) {
                l.hdel(ASSIGNED, key);
            }
            for (Misfiled m : misfiled) {
                l.hsetRequest(REQUESTS, m.item());
                l.hdel(REQUESTS, m.key());
            }
        }
        flush();
        recoveryFinished = true;
        if (resyncNeeded && link != null) {
            startResync();
        }
    }

    /** On the state loop, when start-up recovery was skipped because Redis was unreachable. */
    void skipRecovery() {
        recoveryFinished = true;
        if (resyncNeeded && link != null) {
            synchronise();
        }
    }

    /**
     * On the state loop, once a late read of Redis is complete: requests dropped since the start
     * are left out, the rest is merged into the live state, which is then copied over Redis.
     * Recovery's fix-ups are not needed: the copy replaces everything.
     */
    private void deliverLate(Link l, List<WireItem> items,
                             List<CoordinatorEvents.Assignment> assignments) {
        if (merging != l || closed) {
            return;
        }
        List<WireItem> merged = new ArrayList<>(items.size());
        int dropped = 0;
        for (WireItem item : items) {
            if (forgottenBeforeMerge.contains(RequestKeys.Id.of(item))) {
                dropped++;
            } else {
                merged.add(item);
            }
        }
        log.info("Redis holds {} requests ({} running) from before the start; {} of them"
                        + " finished or were cancelled since and are dropped, the others merged",
                items.size(), assignments.size(), dropped);
        // The copy that follows writes the merged state; writing it now as well would be wasted.
        suppressStores = true;
        try {
            events.get().recoveredLate(merged, assignments);
        } finally {
            suppressStores = false;
        }
        // Only now: should the hand-over fail, the read is retried (merging again is harmless).
        merging = null;
        mergePending = false;
        forgottenBeforeMerge = null;
        // Without a link, the next connection copies the state.
        if (link != null) {
            startResync();
        }
    }

    /**
     * On the state loop: a late read or its hand-over failed; Redis keeps the data and it is read
     * again, on a new connection when this one is gone or silent, else after a pause.
     */
    private void lateReadFailed(Link l, Throwable error) {
        if (merging != l) {
            return;
        }
        merging = null;
        Throwable cause = unwrap(error);
        if (link != l) {
            if (link != null) {
                startMerge();
            }
            return;
        }
        if (cause instanceof RedisCommandTimeoutException || !l.connection.isOpen()) {
            lost(l, describe(cause));
        } else {
            log.error("reading the requests Redis holds from before the start failed ({}); Redis is"
                            + " left as it is and read again in {} ms", describe(cause),
                    settings.maxBackoff().toMillis());
            resources.eventExecutorGroup().schedule(() -> onLoop(() -> {
                if (link == l && merging == null && mergePending) {
                    startMerge();
                }
            }), settings.maxBackoff().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** An entry of coordinatool_requests whose field name is not the key of its item. */
    record Misfiled(byte[] key, WireItem item) {
    }

    // ---------------------------------------------------------------- connection life cycle

    /**
     * The link to queue a write on, or null: while a recovery hands over (what it writes is in
     * Redis already or is about to be copied there), and (the write counted as skipped) while
     * disconnected or until a previous run's queue is merged.
     */
    private Link writableLink() {
        if (suppressStores) {
            return null;
        }
        Link l = link;
        if (l == null || mergePending) {
            skippedWrites.increment();
            return null;
        }
        return l;
    }

    private void lost(Link l, String reason) {
        if (link != l || closed) {
            return;
        }
        link = null;
        unflushed = false;
        pending.clear();
        if (resync != null) {
            resync = null;
            log.warn("Redis re-synchronisation interrupted");
        }
        log.warn("lost the Redis connection to {}:{} ({}); requests are kept in memory only and"
                        + " Redis is re-synchronised once it is back", settings.host(),
                settings.port(), reason);
        l.connection.closeAsync();
        reconnectAttempts = 0;
        scheduleReconnect(settings.initialBackoff().toNanos());
    }

    private void scheduleReconnect(long delayNanos) {
        try {
            resources.eventExecutorGroup().schedule(() -> reconnect(delayNanos), delayNanos,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    private void reconnect(long delayNanos) {
        if (closed) {
            return;
        }
        reconnectAttempts++;
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((connection, error) -> {
            if (error == null) {
                connection.setAutoFlushCommands(false);
                onLoop(() -> adopt(connection));
                return;
            }
            long now = System.nanoTime();
            if (reconnectAttempts == 1
                    || now - lastUnreachableLog >= UNREACHABLE_LOG_INTERVAL_NANOS) {
                lastUnreachableLog = now;
                log.warn("Redis at {}:{} still unreachable after {} attempt(s): {}",
                        settings.host(), settings.port(), reconnectAttempts, describe(error));
            } else {
                log.debug("Redis reconnection attempt {} failed: {}", reconnectAttempts,
                        describe(error));
            }
            scheduleReconnect(Math.min(delayNanos * 2, settings.maxBackoff().toNanos()));
        });
    }

    private void adopt(StatefulRedisConnection<byte[], byte[]> connection) {
        if (closed) {
            connection.closeAsync();
            return;
        }
        if (!connection.isOpen()) {
            connection.closeAsync();
            scheduleReconnect(settings.initialBackoff().toNanos());
            return;
        }
        link = new Link(connection);
        connections.increment();
        log.info("connected to Redis at {}:{} after {} attempt(s)", settings.host(),
                settings.port(), reconnectAttempts);
        if (recoveryFinished) {
            synchronise();
        } else {
            resyncNeeded = true;
        }
    }

    /** Brings a new connection up to date: merges a previous run's queue first if needed. */
    private void synchronise() {
        resyncNeeded = false;
        if (!mergePending) {
            startResync();
        } else if (merging == null) {
            startMerge();
        }
    }

    private void startMerge() {
        Link l = link;
        merging = l;
        log.info("reading the requests Redis holds from before the start");
        RedisRecovery.read(this, l.connection,
                (items, assignments, stale, misfiled) -> deliverLate(l, items, assignments))
                .whenComplete((result, error) -> {
                    if (error != null) {
                        onLoop(() -> lateReadFailed(l, error));
                    }
                });
    }

    private void onLoop(Runnable task) {
        try {
            stateLoop.execute(task);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                log.warn("state loop refused a Redis task: {}", describe(e));
            }
        }
    }

    private void replyFailed(Link l, Throwable error) {
        failedWrites.increment();
        Throwable cause = unwrap(error);
        if (cause instanceof RedisCommandExecutionException) {
            logRateLimited(cause);
        } else if (cause instanceof RedisCommandTimeoutException) {
            onLoop(() -> lost(l, "no reply within " + settings.commandTimeout().toMillis()
                    + " ms"));
        } else {
            onLoop(() -> lost(l, describe(cause)));
        }
    }

    private void logRateLimited(Throwable cause) {
        long now = System.nanoTime();
        long next = nextErrorLog.get();
        if ((next == Long.MIN_VALUE || now - next >= 0)
                && nextErrorLog.compareAndSet(next, now + ERROR_LOG_INTERVAL_NANOS)) {
            long suppressed = suppressedErrors.getAndSet(0);
            log.error("Redis refused a write: {}{}", cause.getMessage(),
                    suppressed == 0 ? "" : " (" + suppressed + " similar errors not logged)");
        } else {
            suppressedErrors.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- re-synchronisation

    private void startResync() {
        Link l = link;
        resyncNeeded = false;
        Resync r = new Resync(l, System.nanoTime());
        events.get().forEachRequest(r::add);
        resync = r;
        l.track(l.commands.del(RESYNC_REQUESTS, RESYNC_ASSIGNED));
        log.info("re-synchronising Redis: {} requests ({} running)", r.size, r.running);
        sendNextBatch(r);
    }

    /**
     * Sends the next batch of the copy. Two batches may be in flight, so Redis works on one while
     * the loop encodes the next; waiting for replies beyond that bounds the memory the copy takes.
     * Each batch is its own loop task, so other events run in between.
     */
    private void sendNextBatch(Resync r) {
        if (resync != r) {
            return;
        }
        Link l = r.link;
        int end = Math.min(r.size, r.next + settings.resyncBatch());
        Map<byte[], byte[]> requests = new LinkedHashMap<>(2 * (end - r.next));
        Map<byte[], byte[]> assigned = new LinkedHashMap<>();
        for (int i = r.next; i < end; i++) {
            byte[] key = RequestKeys.encode(r.items[i]);
            requests.put(key, ItemJson.toBytes(r.items[i], JsonStyle.COMPACT));
            if (r.clients[i] != null) {
                assigned.put(key, r.clients[i].getBytes(StandardCharsets.UTF_8));
            }
            r.items[i] = null;
            r.clients[i] = null;
        }
        r.next = end;
        RedisFuture<?> last = null;
        if (!requests.isEmpty()) {
            last = l.track(l.commands.hset(RESYNC_REQUESTS, requests));
        }
        if (!assigned.isEmpty()) {
            last = l.track(l.commands.hset(RESYNC_ASSIGNED, assigned));
        }
        if (end == r.size) {
            finish(r);
        } else {
            r.inFlight++;
            last.whenComplete((v, e) -> onLoop(() -> {
                r.inFlight--;
                if (e != null) {
                    abandon(r, e);
                } else {
                    sendNextBatch(r);
                }
            }));
            if (r.inFlight < 2) {
                onLoop(() -> sendNextBatch(r));
            }
        }
        l.connection.flushCommands();
    }

    private void finish(Resync r) {
        Link l = r.link;
        long changes = r.changes.recorded();
        r.changes.drainTo(l, RESYNC_REQUESTS, RESYNC_ASSIGNED);
        RedisFuture<Long> swap = l.commands.eval(SWAP_SCRIPT, ScriptOutputType.INTEGER,
                RESYNC_REQUESTS, REQUESTS, RESYNC_ASSIGNED, ASSIGNED);
        l.track(swap);
        // Writes queued from now on follow the swap on the connection, so they land on the new
        // hashes.
        resync = null;
        swap.whenComplete((v, e) -> {
            if (e == null) {
                resyncs.increment();
                log.info("Redis re-synchronised: {} requests ({} running), {} changes meanwhile,"
                                + " {} ms", r.size, r.running, changes,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.startNanos));
            } else {
                onLoop(() -> abandon(r, e));
            }
        });
    }

    /** A batch or the final swap failed: Redis keeps its previous content plus later writes. */
    private void abandon(Resync r, Throwable error) {
        if (resync == r) {
            resync = null;
        }
        if (link != r.link) {
            return;
        }
        Throwable cause = unwrap(error);
        log.error("Redis re-synchronisation failed ({}); retrying in {} ms", describe(cause),
                settings.maxBackoff().toMillis());
        if (cause instanceof RedisCommandExecutionException) {
            resources.eventExecutorGroup().schedule(() -> onLoop(() -> {
                if (link == r.link && resync == null) {
                    startResync();
                }
            }), settings.maxBackoff().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** A copy of the whole state being written to the temporary hashes. */
    private static final class Resync {
        final Link link;
        final long startNanos;
        WireItem[] items = new WireItem[1024];
        String[] clients = new String[1024];
        int size;
        int running;
        int next;
        int inFlight;
        /** The writes made while the copy runs, replayed onto it before the swap. */
        final PendingWrites changes = new PendingWrites();

        Resync(Link link, long startNanos) {
            this.link = link;
            this.startNanos = startNanos;
        }

        void add(WireItem item, String clientId) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
                clients = Arrays.copyOf(clients, size * 2);
            }
            items[size] = item;
            clients[size] = clientId;
            size++;
            if (clientId != null) {
                running++;
            }
        }
    }

    /** One established connection and the bookkeeping of the writes queued on it. */
    private final class Link implements PendingWrites.Sink {
        final StatefulRedisConnection<byte[], byte[]> connection;
        final RedisAsyncCommands<byte[], byte[]> commands;
        final BiConsumer<Object, Throwable> replyCheck;
        volatile RedisFuture<?> lastWrite;

        Link(StatefulRedisConnection<byte[], byte[]> connection) {
            this.connection = connection;
            this.commands = connection.async();
            this.replyCheck = (v, e) -> {
                if (e != null) {
                    replyFailed(this, e);
                }
            };
        }

        <T> RedisFuture<T> track(RedisFuture<T> future) {
            writes.increment();
            future.whenComplete(replyCheck);
            lastWrite = future;
            unflushed = true;
            return future;
        }

        void hsetRequest(byte[] hash, WireItem item) {
            track(commands.hset(hash, RequestKeys.encode(item),
                    ItemJson.toBytes(item, JsonStyle.COMPACT)));
        }

        void hdel(byte[] hash, byte[] key) {
            track(commands.hdel(hash, key));
        }

        @Override
        public void hset(byte[] hash, Map<byte[], byte[]> fields) {
            track(commands.hset(hash, fields));
        }

        @Override
        public void hdel(byte[] hash, byte[][] fields) {
            track(commands.hdel(hash, fields));
        }
    }

    // ---------------------------------------------------------------- helpers

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static String describe(Throwable e) {
        Throwable cause = unwrap(e);
        StringBuilder sb = new StringBuilder(cause.getClass().getSimpleName());
        if (cause.getMessage() != null) {
            sb.append(": ").append(cause.getMessage());
        }
        Throwable root = cause.getCause();
        if (root != null && root.getMessage() != null) {
            sb.append(" (").append(root.getMessage()).append(')');
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
