package org.coordinatool.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.coordinatool.hsm.HsmAction;

/**
 * The share of each action among the injected requests, e.g. {@code archive=90,restore=10}.
 * Request {@code i}'s action is a pure function of {@code i}: every block of {@link #total()}
 * consecutive requests holds exactly the weights' counts, archives first, so any prefix of a run
 * has the asked-for mix to within one block.
 */
public record ActionMix(int archive, int restore, int remove) {

    public ActionMix {
        if (archive < 0 || restore < 0 || remove < 0) {
            throw new IllegalArgumentException("mix weights must not be negative");
        }
        if ((long) archive + restore + remove == 0) {
            throw new IllegalArgumentException("mix weights must not all be 0");
        }
        if ((long) archive + restore + remove > 1_000_000) {
            throw new IllegalArgumentException("mix weights must add up to at most 1000000");
        }
    }

    /**
     * Parses {@code TYPE=WEIGHT[,TYPE=WEIGHT...]} where TYPE is archive, restore or remove;
     * types not named weigh 0.
     *
     * @throws IllegalArgumentException with a message naming the offending part
     */
    public static ActionMix parse(String text) {
        Map<HsmAction, Integer> weights = new EnumMap<>(HsmAction.class);
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + part + "' is not TYPE=WEIGHT");
            }
            HsmAction action = switch (part.substring(0, eq).trim().toLowerCase(Locale.ROOT)) {
                case "archive" -> HsmAction.ARCHIVE;
                case "restore" -> HsmAction.RESTORE;
                case "remove" -> HsmAction.REMOVE;
                default -> throw new IllegalArgumentException("unknown action '" + part.substring(0, eq)
                        + "' (archive, restore or remove)");
            };
            int weight;
            try {
                weight = Integer.parseInt(part.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of '" + part + "' is not an integer");
            }
            if (weights.put(action, weight) != null) {
                throw new IllegalArgumentException("action '" + part.substring(0, eq) + "' given twice");
            }
        }
        return new ActionMix(weights.getOrDefault(HsmAction.ARCHIVE, 0),
                weights.getOrDefault(HsmAction.RESTORE, 0), weights.getOrDefault(HsmAction.REMOVE, 0));
    }

    public int total() {
        return archive + restore + remove;
    }

    /** The hai_action code of request {@code index}. */
    public int actionOf(long index) {
        long r = index % total();
        if (r < archive) {
            return HsmAction.ARCHIVE.code();
        }
        return r < archive + restore ? HsmAction.RESTORE.code() : HsmAction.REMOVE.code();
    }

    @Override
    public String toString() {
        return "archive=" + archive + ",restore=" + restore + ",remove=" + remove;
    }
}
