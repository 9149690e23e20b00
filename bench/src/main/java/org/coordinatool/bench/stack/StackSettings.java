package org.coordinatool.bench.stack;

import java.nio.file.Path;

/**
 * One full-stack run.
 *
 * @param root the source tree or distribution holding the programs
 * @param requests files created and archived
 * @param movers mover agents, each running a no-op copytool under the preload shim
 * @param moverLimit each mover's max_archive, max_restore and max_remove
 * @param rate archive requests per second submitted to Lustre, 0 for all at once
 * @param batch items per Lustre request (as lfs sends them, at most 52)
 * @param fileSize bytes per file
 * @param lustreMaxRequests the MDT's max_requests: how many requests Lustre hands the coordinator at once
 * @param redis whether the coordinator keeps its queue in a private redis-server
 * @param serverJavaOpts JAVA_OPTS of the coordinator
 * @param stallSeconds the run fails when Lustre's queue does not move for this long
 * @param workDir where the mount, logs and timings go; removed at the end unless kept
 */
public record StackSettings(Path root, long requests, int movers, int moverLimit, double rate, int batch,
                            long fileSize, int lustreMaxRequests, boolean redis, String serverJavaOpts,
                            int stallSeconds, Path workDir, boolean keep) {
}
