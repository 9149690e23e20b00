package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;

/** A connection that keeps every reply sent to it. */
final class RecordingConnection implements ClientConnection {
    private final String peer;
    final List<Reply> replies = new ArrayList<>();
    boolean closed;

    RecordingConnection(String peer) {
        this.peer = peer;
    }

    @Override
    public String peerName() {
        return peer;
    }

    @Override
    public void send(Reply reply) {
        replies.add(reply);
    }

    @Override
    public void close() {
        closed = true;
    }

    Reply last() {
        if (replies.isEmpty()) {
            throw new AssertionError(peer + " got no reply");
        }
        return replies.get(replies.size() - 1);
    }

    /** Every recv reply received so far, in order. */
    List<Reply.ActionList> actionLists() {
        List<Reply.ActionList> lists = new ArrayList<>();
        for (Reply r : replies) {
            if (r instanceof Reply.ActionList l) {
                lists.add(l);
            }
        }
        return lists;
    }

    /** Removes and returns the recv replies received so far. */
    List<Reply.ActionList> takeActionLists() {
        List<Reply.ActionList> lists = actionLists();
        replies.removeIf(r -> r instanceof Reply.ActionList);
        return lists;
    }

    @Override
    public String toString() {
        return peer;
    }
}
