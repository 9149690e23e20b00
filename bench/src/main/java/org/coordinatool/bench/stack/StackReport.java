package org.coordinatool.bench.stack;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.coordinatool.bench.ProcessUsage;
import org.coordinatool.bench.ReportParts;
import org.coordinatool.coordinator.protocol.JsonStyle;

/** Prints a stack run's figures as a table or as one JSON object, named as in the protocol mode. */
final class StackReport {

    private StackReport() {
    }

    static void table(StackResult r, PrintStream out) {
        StackSettings s = r.settings();
        out.printf(Locale.ROOT, "stack             simulator, coordinator (%s), %d movers with lsim-noop-copytool,"
                + " max_archive %d, Lustre max_requests %d%n", s.redis() ? "Redis" : "memory only", s.movers(),
                s.moverLimit(), s.lustreMaxRequests());
        out.printf(Locale.ROOT, "requests          %d archives of %d-byte files, %d per Lustre request, rate %s%n",
                s.requests(), s.fileSize(), s.batch(), s.rate() > 0 ? s.rate() + "/s" : "unlimited");
        out.printf(Locale.ROOT, "result            %s: %d submitted, %d completed (files created in %.2f s)%n",
                r.ok() ? "OK" : "FAILED", r.submitted(), r.completed(), r.createSeconds());
        out.printf(Locale.ROOT, "enqueue rate      %.1f req/s (%.2f s, submitted to Lustre)%n", r.submitRate(),
                r.submitSeconds());
        out.printf(Locale.ROOT, "completion rate   %.1f req/s (%.2f s, end to end)%n", r.completionRate(),
                r.completionSeconds());
        ReportParts.latencyHeader(out);
        ReportParts.latencyRow(out, "queued→dispatched", r.submittedToReceived());
        ReportParts.latencyRow(out, "dispatched→done", r.receivedToEnded());
        for (Map.Entry<String, ProcessUsage> e : r.usage().entrySet()) {
            ReportParts.usageRow(out, e.getKey(), e.getValue());
        }
    }

    static void json(StackResult r, OutputStream out) throws IOException {
        StackSettings s = r.settings();
        try (JsonGenerator g = JsonStyle.PRETTY.generator(out)) {
            g.writeStartObject();
            g.writeBooleanField("ok", r.ok());
            g.writeStringField("mode", "stack");
            g.writeNumberField("requests", s.requests());
            g.writeNumberField("movers", s.movers());
            g.writeNumberField("max_archive", s.moverLimit());
            g.writeNumberField("lustre_max_requests", s.lustreMaxRequests());
            g.writeBooleanField("redis", s.redis());
            g.writeNumberField("batch", s.batch());
            g.writeNumberField("rate", s.rate());
            g.writeNumberField("file_size", s.fileSize());
            g.writeNumberField("submitted", r.submitted());
            g.writeNumberField("completed", r.completed());
            g.writeNumberField("create_seconds", r.createSeconds());
            g.writeNumberField("enqueue_seconds", r.submitSeconds());
            g.writeNumberField("enqueue_rate", r.submitRate());
            g.writeNumberField("completion_seconds", r.completionSeconds());
            g.writeNumberField("completion_rate", r.completionRate());
            g.writeObjectFieldStart("latency_ms");
            ReportParts.percentiles(g, "queued_to_dispatched", r.submittedToReceived());
            ReportParts.percentiles(g, "dispatched_to_done", r.receivedToEnded());
            g.writeEndObject();
            g.writeObjectFieldStart("processes");
            for (Map.Entry<String, ProcessUsage> e : r.usage().entrySet()) {
                ReportParts.usage(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            ReportParts.offenders(g, r.offenders());
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }
}
