package org.coordinatool.tests.support;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.ActiveRequestsLine;
import org.coordinatool.hsm.ActiveRequestsParser;

/**
 * A simulated Lustre mount driven through the simulator's own tools ({@code lsim}, {@code lfs},
 * {@code lsim-copytool}), exactly as an administrator would drive a real one.
 */
public final class SimMount implements AutoCloseable {

    public static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern HSM_STATE =
            Pattern.compile("^(.*): \\(0x([0-9a-f]{8})\\)[a-z_ ]*(?:, archive_id:(\\d+))?$");

    private final Path root;
    private final String fsname;
    private final List<ManagedProcess> children = new ArrayList<>();

    private SimMount(Path root, String fsname) {
        this.root = root;
        this.fsname = fsname;
    }

    public static Path home() {
        String home = System.getProperty("lsim.home");
        if (home == null) {
            throw new IllegalStateException("system property lsim.home is not set");
        }
        return Path.of(home).toAbsolutePath();
    }

    public static Path tool(String name) {
        return home().resolve("bin").resolve(name);
    }

    /** Turns {@code root} (created if needed) into a mount; options are lsim tunables KEY=VALUE. */
    public static SimMount start(Path root, String fsname, String... options) {
        Path abs = root.toAbsolutePath();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = Processes.command(tool("lsim"), "start", "--root", abs.toString(),
                "--fsname", fsname);
        for (String o : options) {
            cmd.add("-o");
            cmd.add(o);
        }
        Processes.run(TOOL_TIMEOUT, cmd).requireOk();
        return new SimMount(abs, fsname);
    }

    public Path root() {
        return root;
    }

    public String fsname() {
        return fsname;
    }

    public Path path(String relative) {
        return root.resolve(relative);
    }

    public ProcessResult lsim(String subcommand, String... args) {
        List<String> cmd = Processes.command(tool("lsim"), subcommand, "--root", root.toString());
        cmd.addAll(Arrays.asList(args));
        return Processes.run(TOOL_TIMEOUT, cmd);
    }

    public ProcessResult lfs(String... args) {
        return Processes.run(TOOL_TIMEOUT, Processes.command(tool("lfs"), args));
    }

    public void set(String... keyValues) {
        lsim("set", keyValues).requireOk();
    }

    /** The MDT's active request list, parsed with the production parser. */
    public List<ActiveRequest> activeRequests() {
        String text = lsim("active_requests").requireOk().stdout();
        List<ActiveRequest> out = new ArrayList<>();
        for (ActiveRequestsLine line : parseAll(text)) {
            if (line instanceof ActiveRequestsLine.Parsed p) {
                out.add(p.request());
            } else if (line instanceof ActiveRequestsLine.Malformed m) {
                throw new AssertionError("unparsable active_requests " + m.describe());
            }
        }
        return out;
    }

    private static List<ActiveRequestsLine> parseAll(String text) {
        try {
            return ActiveRequestsParser.parseAll(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon's {@code lsim status} counters (agents, active_requests, waiting, started, records, ...). */
    public Map<String, String> status() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lsim("status").requireOk().stdout().lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** Pid of the simulated MDT daemon. */
    public long daemonPid() {
        return Long.parseLong(status().get("pid"));
    }

    /** Starts the daemon of this mount again (after it stopped or was killed), with these tunables. */
    public void restart(String... options) {
        List<String> cmd = Processes.command(tool("lsim"), "start", "--root", root.toString());
        for (String o : options) {
            cmd.add("-o");
            cmd.add(o);
        }
        Processes.run(TOOL_TIMEOUT, cmd).requireOk();
    }

    /** Lines of the MDT action log. */
    public List<String> actions() {
        return lsim("actions").requireOk().stdout().lines().toList();
    }

    /** One record of the MDT action log: the file's FID, the cookie, the action and its status. */
    public record ActionRecord(String fid, String cookie, String action, String status) {
    }

    private static final Pattern ACTION_RECORD = Pattern.compile(
            " fid=(\\[[^\\]]+\\]) .* compound/cookie=\\w+/(0x[0-9a-f]+) action=(\\w+) .* status=(\\w+) ");

    /** The MDT action log, parsed. */
    public List<ActionRecord> actionRecords() {
        List<ActionRecord> out = new ArrayList<>();
        for (String line : actions()) {
            Matcher m = ACTION_RECORD.matcher(line);
            if (!m.find()) {
                throw new AssertionError("unexpected action record: " + line);
            }
            out.add(new ActionRecord(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return out;
    }

    /** Number of action-log records of {@code action} with {@code status}. */
    public long countActions(String action, String status) {
        return actions().stream()
                .filter(l -> l.contains(" action=" + action + " ") && l.contains(" status=" + status + " "))
                .count();
    }

    /** HSM flags and archive id of each file, from {@code lfs hsm_state}. */
    public Map<Path, HsmFileState> hsmState(List<Path> files) {
        List<String> args = new ArrayList<>();
        args.add("hsm_state");
        files.forEach(f -> args.add(f.toString()));
        ProcessResult r = lfs(args.toArray(String[]::new)).requireOk();
        Map<Path, HsmFileState> out = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            Matcher m = HSM_STATE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("unexpected hsm_state line: " + line);
            }
            int archiveId = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            out.put(Path.of(m.group(1)),
                    new HsmFileState(Integer.parseUnsignedInt(m.group(2), 16), archiveId, line));
        }
        return out;
    }

    public HsmFileState hsmState(Path file) {
        return hsmState(List.of(file)).get(file);
    }

    /** Runs {@code lsim-copytool} registered directly with this mount. */
    public ManagedProcess startCopytool(Path hsmRoot, Path log, String... options) {
        List<String> cmd = Processes.command(tool("lsim-copytool"), "-p", hsmRoot.toString());
        cmd.addAll(Arrays.asList(options));
        cmd.add(root.toString());
        ManagedProcess p = ManagedProcess.start(cmd, Map.of(), log);
        children.add(p);
        return p;
    }

    /** Stops every child started here, then the simulated MDT. */
    @Override
    public void close() {
        for (ManagedProcess p : children) {
            p.close();
        }
        lsim("stop").requireOk();
    }

    /** One file's {@code lfs hsm_state} line. */
    public record HsmFileState(int flags, int archiveId, String line) {
        public static final int EXISTS = 0x1;
        public static final int DIRTY = 0x2;
        public static final int RELEASED = 0x4;
        public static final int ARCHIVED = 0x8;
        public static final int LOST = 0x40;

        public boolean has(int flag) {
            return (flags & flag) == flag;
        }
    }
}
