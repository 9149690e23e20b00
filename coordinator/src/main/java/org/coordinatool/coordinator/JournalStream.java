package org.coordinatool.coordinator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether standard error is connected to the systemd journal. systemd sets
 * {@code JOURNAL_STREAM=DEVICE:INODE} for a service whose output goes to the journal; as
 * systemd.exec(5) advises, it only counts when that is the stream standard error really is, since
 * the variable is inherited by children whose output was redirected elsewhere.
 */
public final class JournalStream {

    public static final String VARIABLE = "JOURNAL_STREAM";

    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private JournalStream() {
    }

    /** Whether this process's standard error is the journal stream {@code env} names. */
    public static boolean isStderr(Map<String, String> env) {
        return names(env.get(VARIABLE), STDERR);
    }

    /** Whether {@code journalStream} ({@code DEVICE:INODE}, decimal) names the file {@code stream} is. */
    static boolean names(String journalStream, Path stream) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon < 0) {
            return false;
        }
        try {
            long device = Long.parseUnsignedLong(journalStream.substring(0, colon));
            long inode = Long.parseUnsignedLong(journalStream.substring(colon + 1));
            return device == ((Number) Files.getAttribute(stream, "unix:dev")).longValue()
                    && inode == ((Number) Files.getAttribute(stream, "unix:ino")).longValue();
        } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
