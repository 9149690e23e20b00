package org.coordinatool.coordinator.protocol;

import java.util.List;
import org.coordinatool.hsm.Fid;

/**
 * A request decoded from a client. Decoding never throws on bad content: a structurally valid JSON
 * object that does not form a valid command becomes {@link Invalid}, so the connection can answer
 * with an error and keep going.
 */
public sealed interface Command {

    /** The wire name of the command ("ehlo", "recv", ...), used for the reply. */
    String name();

    /**
     * @param id requested client id, null when absent
     * @param fsname null when absent
     * @param archiveIds null when absent; the raw values so the core can reject bad ones
     * @param haiList items the agent is still running; null when absent
     * @param invalidItems human-readable reasons for hai_list entries that could not be decoded
     * @param token the secret proving the sender's role (an extension: servers without tokens
     *              ignore it); null when absent; never shown by {@link #toString}
     */
    record Ehlo(String id, String fsname, List<Long> archiveIds, List<WireItem> haiList,
                List<String> invalidItems, String token) implements Command {

        /** An ehlo without token, the original's. */
        public Ehlo(String id, String fsname, List<Long> archiveIds, List<WireItem> haiList,
                    List<String> invalidItems) {
            this(id, fsname, archiveIds, haiList, invalidItems, null);
        }

        public String name() { return "ehlo"; }

        public Ehlo withToken(String newToken) {
            return new Ehlo(id, fsname, archiveIds, haiList, invalidItems, newToken);
        }

        @Override
        public String toString() {
            return "Ehlo[id=" + id + ", fsname=" + fsname + ", archiveIds=" + archiveIds + ", haiList="
                    + (haiList == null ? null : haiList.size() + " items") + ", invalidItems=" + invalidItems
                    + ", token=" + (token == null ? null : "[redacted]") + "]";
        }
    }

    /** Limits as sent; a negative max_* means unlimited, a negative maxBytes means no limit. */
    record Recv(long maxArchive, long maxRestore, long maxRemove, long maxBytes) implements Command {
        public String name() { return "recv"; }
    }

    /** cookie/dfid are null when missing or malformed. */
    record Done(Long cookie, Fid dfid, int status) implements Command {
        public String name() { return "done"; }
    }

    /**
     * @param itemsPresent false when hsm_action_items is missing altogether
     * @param items the items that decoded
     * @param invalidItems reasons for the items that did not
     * @param fsname value of "fsname" or "hal_fsname", null when neither is present
     */
    record Queue(boolean itemsPresent, List<WireItem> items, List<String> invalidItems,
                 String fsname) implements Command {
        public String name() { return "queue"; }
    }

    /**
     * @param summaryOnly only the global counters: the sender may not see the clients or the queues
     */
    record Status(int verbose, boolean summaryOnly) implements Command {

        /** A full status request, as decoded from the wire. */
        public Status(int verbose) {
            this(verbose, false);
        }

        public String name() { return "status"; }
    }

    record Lock(long locked) implements Command {
        public String name() { return "lock"; }
    }

    /**
     * Where the requests of one file are (an extension of the protocol). Exactly one of the two is
     * set: the file's dfid, or an absolute path the server resolves to it.
     */
    record Find(Fid fid, String path) implements Command {
        public String name() { return "find"; }
    }

    /**
     * A JSON object that is not a valid command: missing or non-string "command", unknown command,
     * wrong member types.
     *
     * @param command the command name if one could be read, else null
     */
    record Invalid(String command, String error) implements Command {
        public String name() { return command == null ? "error" : command; }
    }

    /**
     * A valid command the connection may not send (it lacks the token that guards it), already
     * logged and counted by the network layer; it is answered with {@code status} and
     * {@code error}, in order with the connection's other replies.
     */
    record Denied(String command, int status, String error) implements Command {
        public String name() { return command; }
    }
}
