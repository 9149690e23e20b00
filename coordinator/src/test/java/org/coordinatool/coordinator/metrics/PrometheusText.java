package org.coordinatool.coordinator.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): it rejects, with the
 * line number, anything a Prometheus server would refuse (bad names, labels, escapes or values,
 * a family typed twice or typed after its samples, samples of one family split apart).
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created",
            "_info", "_max");

    /** One sample: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusText() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the first bad line. */
    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, Integer> familyEnd = new HashMap<>();
        String currentFamily = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    String family = p.comment(line);
                    if (family != null) {
                        if (familyEnd.containsKey(family)) {
                            throw new IllegalArgumentException("TYPE of " + family + " after its samples");
                        }
                        currentFamily = family;
                    }
                    continue;
                }
                Sample s = sample(line);
                String family = p.familyOf(s.name());
                if (!family.equals(currentFamily) && familyEnd.containsKey(family)) {
                    throw new IllegalArgumentException("samples of " + family + " are not together");
                }
                currentFamily = family;
                familyEnd.put(family, n);
                p.samples.add(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return p;
    }

    /** The family a TYPE line declares, null for HELP and other comments. */
    private String comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return null;
        }
        String name = parts[2];
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if (parts[1].equals("HELP")) {
            return null;
        }
        String type = parts.length == 4 ? parts[3] : "";
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("bad type '" + type + "'");
        }
        if (types.put(name, type) != null) {
            throw new IllegalArgumentException("second TYPE for " + name);
        }
        return name;
    }

    private String familyOf(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static Sample sample(String line) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("extra fields after the value");
        }
        double value = value(rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp " + rest[1]);
            }
        }
        return new Sample(name, labels, value);
    }

    /** Reads {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            Matcher m = LABEL_NAME.matcher(line).region(i, line.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("bad label name at column " + (i + 1));
            }
            String label = m.group();
            i = m.end();
            if (!line.startsWith("=\"", i)) {
                throw new IllegalArgumentException("label " + label + " without =\"");
            }
            i += 2;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unterminated value of label " + label);
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char e = i < line.length() ? line.charAt(i++) : 0;
                    switch (e) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw new IllegalArgumentException("bad escape in label " + label);
                    }
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label, value.toString()) != null) {
                throw new IllegalArgumentException("label " + label + " twice");
            }
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                throw new IllegalArgumentException("expected , or } after label " + label);
            }
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value " + text);
                }
            }
        };
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Every metric name that has at least one sample. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The declared type of a family, null if none. */
    public String type(String family) {
        return types.get(family);
    }

    /**
     * The value of the one sample of {@code name} whose labels include {@code labels} (pairs of
     * name and value); fails when there is none or more than one.
     */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " with labels " + List.of(labels)
                    + " (expected 1): " + found);
        }
        return found.get(0).value();
    }

    /** Whether some sample of {@code name} has these labels. */
    public boolean has(String name, String... labels) {
        return !find(name, labels).isEmpty();
    }

    private List<Sample> find(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }
}
