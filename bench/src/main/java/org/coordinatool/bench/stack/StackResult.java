package org.coordinatool.bench.stack;

import java.util.List;
import java.util.Map;
import org.coordinatool.bench.Percentiles;
import org.coordinatool.bench.ProcessUsage;

/**
 * The figures of one full-stack run.
 *
 * @param ok Lustre recorded every archive as succeeded and each reached a copytool exactly once
 * @param submitted requests submitted to Lustre
 * @param completed requests a copytool ran once
 * @param createSeconds time to create the files (before any request)
 * @param submitSeconds first to last request submitted
 * @param completionSeconds first request submitted to the last one ended by a copytool
 * @param submittedToReceived latency from submission to Lustre to arrival at a copytool
 * @param receivedToEnded from arrival at a copytool to the end of its llapi_hsm_action_end
 * @param usage CPU seconds during the injection and completion, and peak memory, by program
 */
public record StackResult(StackSettings settings, boolean ok, List<String> offenders, long submitted,
                          long completed, double createSeconds, double submitSeconds, double completionSeconds,
                          Percentiles submittedToReceived, Percentiles receivedToEnded,
                          Map<String, ProcessUsage> usage) {

    public double submitRate() {
        return submitSeconds > 0 ? submitted / submitSeconds : 0;
    }

    public double completionRate() {
        return ok && completionSeconds > 0 ? settings.requests() / completionSeconds : 0;
    }
}
