package org.coordinatool.coordinator.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.coordinatool.coordinator.core.CoordinatorEvents.Assignment;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery: reads both hashes with HSCAN (one round trip per batch) and hands the
 * requests and their assignments to the coordinator on the state loop. The request entries of
 * each batch are parsed on a pool of parser threads while the next batch is fetched, so a queue of
 * millions of requests is read at the speed of Redis and of all cores rather than of one thread;
 * the batches are handed over in scan order.
 *
 * <p>Differences from the original server: an entry that cannot be used is logged with its key
 * and content and skipped instead of aborting start-up, and a malformed key in
 * {@code coordinatool_assigned} does not end the scan. A Redis that was unreachable when the
 * store connected is not fatal either: the server starts from memory (degraded mode) and the
 * store reads the hashes the same way once Redis is back ({@link #read}), merging them into the
 * live state before it writes that state over them.
 */
public final class RedisRecovery {

    private static final Logger log = LoggerFactory.getLogger(RedisRecovery.class);

    /** Longest entry text quoted in a log line; entries are a few hundred bytes normally. */
    private static final int MAX_LOGGED_VALUE = 4096;

    private final RedisStore store;
    private final Executor stateLoop;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Handover handover;
    private final CompletableFuture<Result> done = new CompletableFuture<>();

    private final ExecutorService parsers;
    /** The request batches being parsed, in scan order; appended to on lettuce's I/O thread. */
    private final List<CompletableFuture<ParsedRequests>> parsedRequests = new ArrayList<>();

    // Filled on the state loop.
    private final List<WireItem> items = new ArrayList<>();
    private final Map<RequestKeys.Id, String> assignments = new LinkedHashMap<>();
    private final List<RedisStore.Misfiled> misfiled = new ArrayList<>();
    private final List<byte[]> stale = new ArrayList<>();
    private int invalidRequests;
    private int invalidAssignments;

    /** The usable requests of one HSCAN batch and what was wrong with the others. */
    private record ParsedRequests(List<WireItem> items, List<RedisStore.Misfiled> misfiled, int invalid) {
    }

    /**
     * What recovery found.
     *
     * @param degraded           Redis was unreachable at start-up: nothing was read
     * @param requests           requests handed to the coordinator
     * @param assignments        of which were running on a client
     * @param invalidRequests    entries of coordinatool_requests skipped (logged)
     * @param invalidAssignments entries of coordinatool_assigned skipped (logged)
     * @param staleAssignments   assignments of requests that do not exist, deleted
     */
    public record Result(boolean degraded, int requests, int assignments, int invalidRequests,
                         int invalidAssignments, int staleAssignments) {
    }

    /** Receives on the state loop what both scans found, assignments matched to requests. */
    interface Handover {
        void deliver(List<WireItem> items, List<Assignment> assignments,
                     List<byte[]> staleAssignments, List<RedisStore.Misfiled> misfiled);
    }

    private RedisRecovery(RedisStore store, StatefulRedisConnection<byte[], byte[]> connection,
                          Handover handover) {
        this.store = store;
        this.stateLoop = store.stateLoop();
        this.connection = connection;
        this.handover = handover;
        this.parsers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("redis-recovery-parser", true));
        done.whenComplete((result, error) -> parsers.shutdown());
    }

    /**
     * Recovers the persisted queue, blocking until the coordinator has received it. Call it right
     * after {@link RedisStore#connect}, before opening the listener or registering with Lustre.
     * When the store started in degraded mode this only logs and returns.
     *
     * @throws RedisRecoveryException when the connection fails while reading: starting without
     *         the persisted queue would let the next re-synchronisation erase it
     */
    public static Result run(RedisStore store) throws RedisRecoveryException {
        if (!store.connectedAtStart()) {
            log.warn("DEGRADED MODE: Redis recovery skipped because Redis was unreachable at start;"
                    + " the server runs from memory; once Redis is back, the requests it holds are"
                    + " merged into the server's state and Redis is rewritten from that state");
            CompletableFuture<Void> skipped = new CompletableFuture<>();
            store.stateLoop().execute(() -> {
                store.skipRecovery();
                skipped.complete(null);
            });
            skipped.join();
            return new Result(true, 0, 0, 0, 0, 0);
        }
        StatefulRedisConnection<byte[], byte[]> connection = store.recoveryConnection();
        if (connection == null) {
            throw lostConnection();
        }
        return new RedisRecovery(store, connection, store::deliverRecovery).recover();
    }

    /**
     * Reads both hashes the same way without blocking, for a store that connects only after the
     * server started: the future completes once the handover has run on the state loop, or fails
     * when a read or the handover does.
     */
    static CompletableFuture<Result> read(RedisStore store,
                                          StatefulRedisConnection<byte[], byte[]> connection,
                                          Handover handover) {
        RedisRecovery recovery = new RedisRecovery(store, connection, handover);
        recovery.start();
        return recovery.done;
    }

    private void start() {
        scan(RedisStore.REQUESTS, ScanCursor.INITIAL, this::requests,
                () -> scan(RedisStore.ASSIGNED, ScanCursor.INITIAL, batch -> onLoop(() -> assignments(batch)),
                        this::scanned));
    }

    /** Both scans are complete: once every request batch is parsed, the loop delivers. */
    private void scanned() {
        CompletableFuture.allOf(parsedRequests.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                onLoop(this::deliver);
            }
        });
    }

    private Result recover() throws RedisRecoveryException {
        long start = System.nanoTime();
        log.info("recovering requests from Redis");
        start();
        Result result;
        try {
            result = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisRecoveryException("interrupted during Redis recovery", e);
        } catch (ExecutionException e) {
            Throwable cause = RedisStore.unwrap(e);
            if (cause instanceof RedisRecoveryException r) {
                throw r;
            }
            throw new RedisRecoveryException("Redis recovery failed: " + RedisStore.describe(cause)
                    + " (start with an empty redis_host to skip recovery)", cause);
        }
        log.info("recovered {} requests ({} running) from Redis in {} ms; skipped {} invalid"
                        + " request entries and {} invalid assignment entries, deleted {} stale"
                        + " assignments", result.requests(), result.assignments(),
                (System.nanoTime() - start) / 1_000_000, result.invalidRequests(),
                result.invalidAssignments(), result.staleAssignments());
        return result;
    }

    private static RedisRecoveryException lostConnection() {
        return new RedisRecoveryException("lost the Redis connection during recovery"
                + " (start with an empty redis_host to skip recovery)", null);
    }

    /**
     * One HSCAN step. The entries of a step are only collected on lettuce's I/O thread and handed
     * to {@code consumer} while the next step is already on its way: the scan and the parsing
     * overlap.
     */
    private void scan(byte[] hash, ScanCursor cursor, Consumer<List<byte[]>> consumer,
                      Runnable next) {
        List<byte[]> batch = new ArrayList<>(2 * store.settings().scanCount());
        RedisFuture<StreamScanCursor> step;
        try {
            step = connection.async().hscan((k, v) -> {
                batch.add(k);
                batch.add(v);
            }, hash, cursor, ScanArgs.Builder.limit(store.settings().scanCount()));
            connection.flushCommands();
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        step.whenComplete((c, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
                return;
            }
            if (!batch.isEmpty()) {
                consumer.accept(batch);
            }
            if (c.isFinished()) {
                next.run();
            } else {
                scan(hash, c, consumer, next);
            }
        });
    }

    /** On lettuce's I/O thread: the batch goes to the parsers. */
    private void requests(List<byte[]> batch) {
        try {
            parsedRequests.add(CompletableFuture.supplyAsync(() -> parseRequests(batch), parsers));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }

    /** On a parser thread. */
    private static ParsedRequests parseRequests(List<byte[]> batch) {
        List<WireItem> items = new ArrayList<>(batch.size() / 2);
        List<RedisStore.Misfiled> misfiled = new ArrayList<>(0);
        int invalid = 0;
        for (int i = 0; i < batch.size(); i += 2) {
            byte[] key = batch.get(i);
            WireItem item = request(key, batch.get(i + 1));
            if (item == null) {
                invalid++;
                continue;
            }
            items.add(item);
            if (!Arrays.equals(key, RequestKeys.encode(item))) {
                log.warn("Redis entry coordinatool_requests[{}] holds request {}; moving it to its"
                        + " proper key", printable(key), RequestKeys.format(item));
                misfiled.add(new RedisStore.Misfiled(key, item));
            }
        }
        return new ParsedRequests(items, misfiled, invalid);
    }

    private void assignments(List<byte[]> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            assignment(batch.get(i), batch.get(i + 1));
        }
    }

    /** The item of one entry, null when it cannot be used (logged). */
    private static WireItem request(byte[] key, byte[] value) {
        WireItem item;
        try {
            item = ItemJson.parse(value);
            if (item.archiveId() == 0) {
                throw new InvalidContentException("item: hal_archive_id missing or 0");
            }
            int action = item.action();
            if (action != HsmAction.ARCHIVE.code() && action != HsmAction.RESTORE.code()
                    && action != HsmAction.REMOVE.code()) {
                throw new InvalidContentException("item: hai_action " + item.action()
                        + " is not archive, restore or remove");
            }
        } catch (InvalidContentException | RuntimeException e) {
            log.error("skipping Redis entry coordinatool_requests[{}]: {}; value: {}",
                    printable(key), e.getMessage(), printable(value));
            return null;
        }
        return item;
    }

    private void assignment(byte[] key, byte[] value) {
        RequestKeys.Id id;
        String clientId;
        try {
            id = RequestKeys.parse(key);
            clientId = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("empty client id");
            }
        } catch (IllegalArgumentException | CharacterCodingException e) {
            invalidAssignments++;
            log.error("skipping Redis entry coordinatool_assigned[{}]: {}; value: {}",
                    printable(key), e.getMessage(), printable(value));
            return;
        }
        assignments.put(id, clientId);
    }

    /** On the state loop, after both scans and the parsing of every request batch. */
    private void deliver() {
        for (CompletableFuture<ParsedRequests> f : parsedRequests) {
            ParsedRequests batch = f.join();
            items.addAll(batch.items());
            misfiled.addAll(batch.misfiled());
            invalidRequests += batch.invalid();
        }
        parsedRequests.clear();
        List<Assignment> known = new ArrayList<>(assignments.size());
        if (!assignments.isEmpty()) {
            Map<RequestKeys.Id, String> unmatched = new HashMap<>(assignments);
            for (WireItem item : items) {
                String clientId = unmatched.remove(RequestKeys.Id.of(item));
                if (clientId != null) {
                    known.add(new Assignment(item.cookie(), item.dfid(), clientId));
                }
            }
            for (Map.Entry<RequestKeys.Id, String> e : unmatched.entrySet()) {
                log.warn("Redis assigns unknown request {} to client {}; deleting the assignment",
                        e.getKey().format(), e.getValue());
                stale.add(e.getKey().encode());
            }
        }
        try {
            handover.deliver(items, known, stale, misfiled);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        done.complete(new Result(false, items.size(), known.size(), invalidRequests,
                invalidAssignments, stale.size()));
    }

    private void onLoop(Runnable task) {
        try {
            stateLoop.execute(task);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }

    /**
     * Bytes as text for a log line, reversibly: printable ASCII kept, backslash doubled, anything
     * else as \\xNN; truncated.
     */
    static String printable(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_LOGGED_VALUE);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\\') {
                sb.append("\\\\");
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (n < bytes.length) {
            sb.append("... (").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }
}
