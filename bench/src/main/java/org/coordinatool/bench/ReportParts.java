package org.coordinatool.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The pieces every bench mode's report shares, so that the protocol and stack runs print their
 * latencies, process usage and offenders under the same names and in the same units.
 */
public final class ReportParts {

    private ReportParts() {
    }

    /** The header of the latency rows, in the columns {@link #latencyRow} fills. */
    public static void latencyHeader(PrintStream out) {
        out.printf(Locale.ROOT, "latency (ms)      %10s %10s %10s %10s%n", "p50", "p90", "p99", "max");
    }

    public static void latencyRow(PrintStream out, String name, Percentiles p) {
        out.printf(Locale.ROOT, "  %-16s %10.3f %10.3f %10.3f %10.3f%n", name, p.p50() / 1e6, p.p90() / 1e6,
                p.p99() / 1e6, p.max() / 1e6);
    }

    public static void usageRow(PrintStream out, String name, ProcessUsage u) {
        out.printf(Locale.ROOT, "%-17s pid %d: %.2f CPU s, peak RSS %d MiB%n", name, u.pid(), u.cpuSeconds(),
                u.peakRssBytes() >> 20);
    }

    /** Writes the percentiles in milliseconds as the object field {@code name}. */
    public static void percentiles(JsonGenerator g, String name, Percentiles p) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", p.count());
        g.writeNumberField("p50", p.p50() / 1e6);
        g.writeNumberField("p90", p.p90() / 1e6);
        g.writeNumberField("p99", p.p99() / 1e6);
        g.writeNumberField("max", p.max() / 1e6);
        g.writeEndObject();
    }

    public static void usage(JsonGenerator g, String name, ProcessUsage u) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("pid", u.pid());
        g.writeNumberField("cpu_seconds", u.cpuSeconds());
        g.writeNumberField("peak_rss_bytes", u.peakRssBytes());
        g.writeEndObject();
    }

    public static void offenders(JsonGenerator g, List<String> offenders) throws IOException {
        g.writeArrayFieldStart("offenders");
        for (String o : offenders) {
            g.writeString(o);
        }
        g.writeEndArray();
    }

    /** Lists on {@code err} what made the run fail. */
    public static void offences(PrintStream err, List<String> offenders) {
        err.println("coordinatool-bench: FAILED: " + offenders.size() + " offences:");
        offenders.forEach(o -> err.println("  " + o));
    }
}
