package org.coordinatool.coordinator.queue;

import java.util.HashMap;

/** The FIFO part of a {@link RequestQueue} holding one {@link QueueKey}. */
final class SubQueue {
    final QueueKey key;
    Request head;
    Request tail;
    int size;
    /** Requests of this sub-queue by batching tag; null when the queue is not tag-indexed. */
    final HashMap<String, HintChain> chains;

    SubQueue(QueueKey key, boolean hintIndexed) {
        this.key = key;
        this.chains = hintIndexed ? new HashMap<>(4) : null;
    }
}
