package org.coordinatool.config;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The value syntaxes of the configuration keys. */
final class ValueTypes {

    /** Largest value of a C {@code int}, the type of the original's numeric settings. */
    static final long INT_MAX = Integer.MAX_VALUE;

    private ValueTypes() {
    }

    /** Free text kept as written (inner spaces included). */
    static final ValueType TEXT = (raw, notes) -> Optional.of(raw);

    /** Free text where empty means "not set" or "disabled". */
    static final ValueType OPTIONAL_TEXT = new ValueType() {
        @Override
        public Optional<Object> convert(String raw, Diagnostics.ValueNotes notes) {
            return Optional.of(raw);
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    };

    /** {@code on} or {@code off} (also {@code yes}/{@code no}, {@code true}/{@code false}, 1/0), stored as a boolean. */
    static final ValueType SWITCH = (raw, notes) -> Optional.of(switchValue(raw));

    private static boolean switchValue(String raw) throws InvalidValueException {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "1" -> true;
            case "off", "no", "false", "0" -> false;
            default -> throw new InvalidValueException("'" + raw + "' is neither on nor off");
        };
    }

    /** A file path where empty means "not set". */
    static final ValueType OPTIONAL_PATH = new ValueType() {
        @Override
        public Optional<Object> convert(String raw, Diagnostics.ValueNotes notes) throws InvalidValueException {
            try {
                Path.of(raw);
            } catch (InvalidPathException e) {
                throw new InvalidValueException("invalid path '" + raw + "': " + e.getReason());
            }
            return Optional.of(raw);
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    };

    /** A decimal port number 0..65535 or a service name, resolved later. */
    static final ValueType PORT = (raw, notes) -> {
        if (!raw.isEmpty() && raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            IntegerLiteral.checkRange(new BigInteger(raw), 0, 65535);
        }
        return Optional.of(raw);
    };

    /** A log level name, stored in its canonical lowercase spelling. */
    static final ValueType LOG_LEVEL = (raw, notes) -> Optional.of(logLevel(raw).configName());

    static LogLevel logLevel(String raw) throws InvalidValueException {
        return LogLevel.fromName(raw).orElseThrow(() -> new InvalidValueException("invalid log level '" + raw
                + "' (expected one of " + LogLevel.allNames() + ")"));
    }

    /** A C-style integer in {@code min..max}. */
    static ValueType integer(long min, long max) {
        return (raw, notes) -> Optional.of(IntegerLiteral.parse(raw, min, max));
    }

    /** A client limit or buffer size: 0..2^32-1 with k/m/g suffixes, or -1 for unlimited. */
    static final ValueType SIZE = (raw, notes) -> Optional.of(size(raw, 0, SizeLiteral.MAX_SIZE, true, notes));

    /** Largest JSON object accepted on the wire: a size without "unlimited", fitting a Java array. */
    static final ValueType FRAME_SIZE = (raw, notes) -> Optional.of(size(raw, 1024, INT_MAX, false, notes));

    /** {@code <idle> [<max>]} seconds, stored as {@code {idle, max}} (max 0 when absent). */
    static final ValueType BATCH_SLICES = (raw, notes) -> {
        List<String> words = CText.words(raw);
        if (words.isEmpty() || words.size() > 2) {
            throw new InvalidValueException("'" + raw + "' is not '<idle> [<max>]' (seconds)");
        }
        Map<String, Object> slices = new LinkedHashMap<>();
        slices.put("idle", seconds("idle", words.get(0)));
        slices.put("max", words.size() == 2 ? seconds("max", words.get(1)) : 0L);
        return Optional.of(slices);
    };

    /** {@code <tag> <host>...}, stored as {@code {tag, hosts}}; a tag without host is dropped. */
    static final ValueType RANDOM_HOST_MAPPING = (raw, notes) -> {
        List<String> words = CText.words(raw);
        if (words.isEmpty()) {
            throw new InvalidValueException("missing tag (expected <tag> <host>...)");
        }
        return hostMapping(words.get(0), words.subList(1, words.size()), OptionalLong.empty(), notes);
    };

    /**
     * {@code <tag> <N> <host>...}, stored as {@code {tag, n, hosts}}. A missing N is an error; an
     * unparsable N is reported and counts as 0 (no rewriting), as in the original.
     */
    static final ValueType CONSISTENT_HASH_MAPPING = (raw, notes) -> {
        List<String> words = CText.words(raw);
        if (words.size() < 2) {
            throw new InvalidValueException("missing N in '" + raw + "' (expected <tag> <N> <host>...)");
        }
        long n;
        try {
            n = IntegerLiteral.parse(words.get(1), 0, INT_MAX);
        } catch (InvalidValueException e) {
            notes.warn("invalid N: " + e.getMessage() + "; using 0");
            n = 0;
        }
        return hostMapping(words.get(0), words.subList(2, words.size()), OptionalLong.of(n), notes);
    };

    private static Optional<Object> hostMapping(String tag, List<String> hosts, OptionalLong n,
                                                Diagnostics.ValueNotes notes) {
        if (hosts.isEmpty()) {
            notes.info("tag '" + tag + "' has no host, line ignored");
            return Optional.empty();
        }
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("tag", tag);
        n.ifPresent(value -> mapping.put("n", value));
        mapping.put("hosts", List.copyOf(hosts));
        return Optional.of(mapping);
    }

    private static long seconds(String name, String word) throws InvalidValueException {
        try {
            return IntegerLiteral.parse(word, 0, INT_MAX);
        } catch (InvalidValueException e) {
            throw new InvalidValueException(name + ": " + e.getMessage());
        }
    }

    private static long size(String raw, long min, long max, boolean unlimitedAllowed, Diagnostics.ValueNotes notes)
            throws InvalidValueException {
        SizeLiteral.Size size = SizeLiteral.parse(raw, min, max, unlimitedAllowed);
        if (!size.ignoredTrailer().isEmpty()) {
            notes.warn("ignoring '" + size.ignoredTrailer() + "' after the size suffix in '" + raw + "'");
        }
        return size.bytes();
    }
}
