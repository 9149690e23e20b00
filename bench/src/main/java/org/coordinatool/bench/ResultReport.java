package org.coordinatool.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import org.coordinatool.coordinator.protocol.JsonStyle;

/** Prints a run's figures as a table for people or as one JSON object for programs. */
final class ResultReport {

    private ResultReport() {
    }

    static void table(BenchResult r, PrintStream out) {
        BenchSettings s = r.settings();
        out.printf(Locale.ROOT, "server            %s:%d%n", s.host(), s.port());
        out.printf(Locale.ROOT, "requests          %d (%s), %d-byte data, batches of %d, window %d, rate %s%n",
                s.requests(), s.mix(), s.dataSize(), s.batch(), s.window(),
                s.rate() > 0 ? fmt(s.rate()) + "/s" : "unlimited");
        out.printf(Locale.ROOT, "agents            %d, max_archive %d, max_restore %d, max_remove %d, max_bytes %d,"
                + " service time %s ms%n", s.agents(), s.preloadArchives() > 0 ? 0 : s.maxArchive(), s.maxRestore(),
                s.maxRemove(), s.maxBytes(), fmt(s.serviceNanos() / 1e6));
        if (s.preloadArchives() > 0) {
            out.printf(Locale.ROOT, "preloaded         %d archives in %.2f s (no agent takes archives)%n",
                    s.preloadArchives(), r.preloadSeconds());
        }
        out.printf(Locale.ROOT, "result            %s: %d dispatched, %d completed, %.2f s in all%n",
                r.ok() ? "OK" : "FAILED", r.dispatched(), r.completed(), r.elapsedSeconds());
        out.printf(Locale.ROOT, "enqueue rate      %s req/s (%.2f s)%n", fmt(r.enqueueRate()), r.enqueueSeconds());
        out.printf(Locale.ROOT, "completion rate   %s req/s (%.2f s, end to end)%n", fmt(r.completionRate()),
                r.completionSeconds());
        ReportParts.latencyHeader(out);
        ReportParts.latencyRow(out, "queued→dispatched", r.queuedToDispatched());
        ReportParts.latencyRow(out, "dispatched→done", r.dispatchedToDone());
        usageRow(out, "server", r.server());
        usageRow(out, "redis", r.redis());
        usageRow(out, "load generator", r.bench());
    }

    private static void usageRow(PrintStream out, String name, ProcessUsage u) {
        if (u != null) {
            ReportParts.usageRow(out, name, u);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static void json(BenchResult r, OutputStream out) throws IOException {
        BenchSettings s = r.settings();
        try (JsonGenerator g = JsonStyle.PRETTY.generator(out)) {
            g.writeStartObject();
            g.writeBooleanField("ok", r.ok());
            g.writeStringField("server", s.host() + ":" + s.port());
            g.writeNumberField("requests", s.requests());
            g.writeObjectFieldStart("mix");
            g.writeNumberField("archive", s.mix().archive());
            g.writeNumberField("restore", s.mix().restore());
            g.writeNumberField("remove", s.mix().remove());
            g.writeEndObject();
            g.writeNumberField("data_size", s.dataSize());
            g.writeNumberField("batch", s.batch());
            g.writeNumberField("window", s.window());
            g.writeNumberField("rate", s.rate());
            g.writeNumberField("agents", s.agents());
            g.writeNumberField("max_archive", s.preloadArchives() > 0 ? 0 : s.maxArchive());
            g.writeNumberField("max_restore", s.maxRestore());
            g.writeNumberField("max_remove", s.maxRemove());
            g.writeNumberField("max_bytes", s.maxBytes());
            g.writeNumberField("service_time_ms", s.serviceNanos() / 1e6);
            g.writeNumberField("preload_archives", s.preloadArchives());
            g.writeNumberField("preload_seconds", r.preloadSeconds());
            g.writeNumberField("dispatched", r.dispatched());
            g.writeNumberField("completed", r.completed());
            g.writeNumberField("elapsed_seconds", r.elapsedSeconds());
            g.writeNumberField("enqueue_seconds", r.enqueueSeconds());
            g.writeNumberField("enqueue_rate", r.enqueueRate());
            g.writeNumberField("completion_seconds", r.completionSeconds());
            g.writeNumberField("completion_rate", r.completionRate());
            g.writeObjectFieldStart("latency_ms");
            ReportParts.percentiles(g, "queued_to_dispatched", r.queuedToDispatched());
            ReportParts.percentiles(g, "dispatched_to_done", r.dispatchedToDone());
            g.writeEndObject();
            usage(g, "server_process", r.server());
            usage(g, "redis_process", r.redis());
            usage(g, "bench_process", r.bench());
            ReportParts.offenders(g, r.offenders());
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void usage(JsonGenerator g, String name, ProcessUsage u) throws IOException {
        if (u == null) {
            g.writeNullField(name);
        } else {
            ReportParts.usage(g, name, u);
        }
    }
}
