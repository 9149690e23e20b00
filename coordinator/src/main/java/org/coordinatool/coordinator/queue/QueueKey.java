package org.coordinatool.coordinator.queue;

/** What one recv reply must share: an archive id and the list flags. */
public record QueueKey(int archiveId, long flags) {

    public static QueueKey of(Request request) {
        return new QueueKey(request.archiveId(), request.flags());
    }
}
