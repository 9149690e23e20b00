package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.hsm.Fid;

/**
 * Reading a status reply with its queues dumped ({@link MoverSite#awaitStatus}): the requests in
 * each queue, and the batch slots of each client.
 */
public final class StatusDump {

    private StatusDump() {
    }

    /** One queue entry: the request's identity (the dump's hai_fid holds the dfid) and its data. */
    public record Entry(Fid dfid, String data) {
    }

    /** The entries of a dumped queue, in queue order; a missing queue is empty. */
    public static List<Entry> entries(JsonNode dump) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : dump) {
            out.add(new Entry(ReceivedItem.fid(e.path("hai_fid")), e.path("hai_data").asText()));
        }
        return out;
    }

    /** The dfids of a dumped queue, in queue order. */
    public static List<Fid> dfids(JsonNode dump) {
        return entries(dump).stream().map(Entry::dfid).toList();
    }

    /** Queue {@code member} (active_requests, waiting_archive, ...) of client {@code id}. */
    public static List<Fid> clientQueue(JsonNode status, String id, String member) {
        return dfids(MoverSite.client(status, id).path(member));
    }

    /** Batch slot {@code index} of client {@code id}. */
    public static JsonNode slot(JsonNode status, String id, int index) {
        return MoverSite.client(status, id).path("batches").path(index);
    }

    /** The tag a batch slot holds, null when it is free. */
    public static String hint(JsonNode slot) {
        return slot.has("hint") ? slot.get("hint").asText() : null;
    }
}
