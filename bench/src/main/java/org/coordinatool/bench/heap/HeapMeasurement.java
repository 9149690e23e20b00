package org.coordinatool.bench.heap;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import org.coordinatool.bench.core.LoopCore;
import org.coordinatool.bench.core.SyntheticItems;
import org.coordinatool.coordinator.redis.RedisRecoveryException;
import org.coordinatool.coordinator.redis.RedisServerProcess;

/**
 * Live heap per waiting request: N archives with 32-byte data are queued through the real
 * coordinator core, persisted to a real redis-server exactly as in production; once Redis has
 * acknowledged every write (nothing is left in the Redis client's buffers), full GCs run and the
 * live heap is compared with the one before the requests existed. The class histogram growth shows
 * what the bytes are.
 *
 * <p>Usage: {@code HeapMeasurement [N [DATA_BYTES]]}, defaults 1000000 and 32. Run it with a heap
 * large enough for the requests and the transient garbage of the fill, e.g. -Xmx2g.
 */
public final class HeapMeasurement {

    private static final int FILL_CHUNK = 100_000;
    private static final int HISTOGRAM_LINES = 20;
    private static final int WARM_UP = 10_000;
    private static final long SETTLE_MILLIS = 300;
    private static final long SETTLED_BYTES = 64 * 1024;

    public static void main(String[] args) throws RedisRecoveryException, InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int dataBytes = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        SyntheticItems items = new SyntheticItems(dataBytes);
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisServerProcess.Client raw = redis.client();
             LoopCore core = LoopCore.withRedis(redis.host(), redis.port())) {
            // Warm the paths once so their classes and caches exist before the baseline.
            core.run(d -> d.fillArchives(items, n, n + WARM_UP));
            core.run(d -> d.drainArchives(d.agent("warm-up"), WARM_UP));
            awaitPersisted(raw, 0);
            ClassHistogram before = ClassHistogram.take();
            long usedBefore = liveHeap();

            long start = System.nanoTime();
            for (long from = 0; from < n; from += FILL_CHUNK) {
                long chunkFrom = from;
                core.run(d -> d.fillArchives(items, chunkFrom, Math.min(n, chunkFrom + FILL_CHUNK)));
            }
            awaitPersisted(raw, n);
            double fillSeconds = (System.nanoTime() - start) / 1e9;

            ClassHistogram after = ClassHistogram.take();
            long usedAfter = liveHeap();
            System.out.printf(Locale.ROOT, "%d waiting requests with %d-byte data, persisted to Redis in %.1f s%n",
                    n, dataBytes, fillSeconds);
            System.out.printf(Locale.ROOT, "live heap after full GC: %d bytes before, %d after: %.1f bytes per request%n",
                    usedBefore, usedAfter, (usedAfter - usedBefore) / (double) n);
            System.out.printf(Locale.ROOT, "class histogram: %.1f bytes per request; growth by class:%n",
                    (after.totalBytes() - before.totalBytes()) / (double) n);
            System.out.printf(Locale.ROOT, "%14s %14s %10s  %s%n", "instances", "bytes", "B/request", "class");
            List<ClassHistogram.Entry> growth = after.growthSince(before);
            List<ClassHistogram.Entry> shown = new java.util.ArrayList<>(growth.subList(0, Math.min(HISTOGRAM_LINES, growth.size())));
            shown.addAll(growth.subList(Math.max(HISTOGRAM_LINES, growth.size() - 5), growth.size()));
            for (ClassHistogram.Entry e : shown) {
                System.out.printf(Locale.ROOT, "%14d %14d %10.1f  %s%n", e.instances(), e.bytes(),
                        e.bytes() / (double) n, e.className());
            }
        }
    }

    /**
     * Waits until Redis holds exactly this many requests, then until the client side has settled: lettuce
     * keeps each command, its future and its timeout until the reply is processed and its timer's
     * next tick, so the live heap is read once two readings {@value #SETTLE_MILLIS} ms apart agree.
     */
    private static void awaitPersisted(RedisServerProcess.Client raw, long expected) throws InterruptedException {
        while ((Long) raw.call("HLEN", "coordinatool_requests") != expected) {
            Thread.sleep(SETTLE_MILLIS);
        }
        long previous = liveHeap();
        while (true) {
            Thread.sleep(SETTLE_MILLIS);
            long used = liveHeap();
            if (Math.abs(used - previous) < SETTLED_BYTES) {
                return;
            }
            previous = used;
        }
    }

    /** Heap in use after a full collection (System.gc() is a full, compacting collection with G1). */
    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
