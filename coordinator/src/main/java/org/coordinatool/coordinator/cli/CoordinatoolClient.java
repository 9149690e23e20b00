package org.coordinatool.coordinator.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.coordinatool.config.ClientSettings;
import org.coordinatool.config.ConfigException;
import org.coordinatool.config.ConfigLoader;
import org.coordinatool.config.LogLevel;
import org.coordinatool.config.OptionOverrides;
import org.coordinatool.config.Side;
import org.coordinatool.coordinator.Logging;
import org.coordinatool.coordinator.Version;
import org.coordinatool.coordinator.client.Deadline;
import org.coordinatool.coordinator.client.ClientProtection;
import org.coordinatool.coordinator.client.ServerConnection;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.JsonStyle;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.ActiveRequest;
import org.coordinatool.hsm.ActiveRequestsLine;
import org.coordinatool.hsm.ActiveRequestsParser;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinatool-client}: status, queue injection from {@code active_requests}, lock modes
 * and debugging receivers, as the original client; and, as extensions, where the requests of a
 * file are ({@code --find}) and a live view of the server ({@code --top}). Like the original's
 * modes, the extensions are options, so every option keeps working in any order.
 *
 * <p>Options are applied in command-line order, so the last mode wins and {@code -R}/{@code --drain}
 * reset the number of rounds set by an earlier {@code -i}. Exit status is 0 on success and 1 on
 * any failure, including an error status of either sign in a reply; {@code --find} exits with
 * {@value #EXIT_UNKNOWN} when the server knows no request for the file.
 */
@CommandLine.Command(name = "coordinatool-client", sortOptions = false, usageHelpAutoWidth = true,
        description = "Talks to a coordinatool server: prints its status by default.")
public final class CoordinatoolClient {

    enum Mode { STATUS, LOCK, QUEUE, RECV, DRAIN, FIND, TOP }

    /** Exit status of --find when the file has no request. */
    static final int EXIT_UNKNOWN = 2;

    /** ANSI: cursor home and clear screen; hide and show the cursor. */
    static final String CLEAR_HOME = "\033[H\033[2J";
    static final String HIDE_CURSOR = "\033[?25l";
    static final String SHOW_CURSOR = "\033[?25h";

    /** Items per queue request: keeps each request far below any server's message size limit. */
    static final int QUEUE_BATCH = 1000;

    private Mode mode = Mode.STATUS;
    private int lockValue;
    private boolean queueSeen;
    private String fsname;
    private long iterations = 1;
    private int verbosity;
    private Command.Find findTarget;
    private long intervalMillis = 2000;
    private long topCount;
    private final List<Long> archives = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "PATH",
            description = "Configuration file (default: $COORDINATOOL_CONF, else /etc/coordinatool.conf).")
    private Path config;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Server host.")
    private String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port.")
    private String port;

    @Option(names = {"-I", "--client-id"}, paramLabel = "ID",
            description = "Id sent in ehlo (otherwise the connection is anonymous).")
    private String clientId;

    @Mixin
    private SecurityOptions security = new SecurityOptions();

    @Option(names = "--json", description = "Print the status or find reply as JSON instead of text.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when the server cannot be reached or does not answer within this time"
                    + " (default: wait forever).")
    private long timeoutSeconds;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    private boolean helpRequested;

    @Parameters(hidden = true)
    private List<String> extra = new ArrayList<>();

    @Option(names = "--lock", description = "Stop dispatching work to agents.")
    void lock(boolean set) {
        mode = Mode.LOCK;
        lockValue = 1;
    }

    @Option(names = "--unlock", description = "Resume dispatching.")
    void unlock(boolean set) {
        mode = Mode.LOCK;
        lockValue = 0;
    }

    @Option(names = "--lock-quit", description = "Stop dispatching; the server exits once nothing is running.")
    void lockQuit(boolean set) {
        mode = Mode.LOCK;
        lockValue = 2;
    }

    @Option(names = {"-Q", "--queue"}, description = "Queue the requests of an active_requests listing read from"
            + " standard input.")
    void queue(boolean set) {
        mode = Mode.QUEUE;
        queueSeen = true;
    }

    @Option(names = "--fsname", paramLabel = "NAME", description = "With -Q (after it): filesystem name the server"
            + " must serve.")
    void fsname(String name) {
        if (!queueSeen) {
            throw new CommandLine.ParameterException(new CommandLine(this), "fsname can only be set after -Q");
        }
        fsname = name;
    }

    @Option(names = {"-R", "--recv"}, description = "Debug: receive work forever.")
    void recv(boolean set) {
        mode = Mode.RECV;
        iterations = -1;
    }

    @Option(names = "--drain", description = "Debug: receive work forever and report every item done.")
    void drain(boolean set) {
        mode = Mode.DRAIN;
        iterations = -1;
    }

    @Option(names = "--find", paramLabel = "FID|PATH", description = "Where the requests of a file are: queued (which"
            + " queue, position, since when), running (on which mover, since when), cancel pending. A FID is"
            + " [0x..:0x..:0x..] or the same without brackets; a path is resolved by the server, so it must be"
            + " valid on the server. Exit status " + EXIT_UNKNOWN + " when no request is known.")
    void find(String operand) {
        try {
            findTarget = FindTarget.parse(operand);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        mode = Mode.FIND;
    }

    @Option(names = "--top", description = "Live view: queue depths, running and done requests and throughput per"
            + " action, each client's running requests against its limits, the lock. q or Ctrl-C quits.")
    void top(boolean set) {
        mode = Mode.TOP;
    }

    @Option(names = "--interval", paramLabel = "SECONDS", description = "With --top: seconds between refreshes"
            + " (default 2, fractions allowed, at least 0.1).")
    void interval(double seconds) {
        if (!(seconds >= 0.1) || seconds > 86_400) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--interval must be between 0.1 and 86400 seconds, got " + seconds);
        }
        intervalMillis = Math.round(seconds * 1000);
    }

    @Option(names = "--count", paramLabel = "N", description = "With --top: stop after N refreshes (default: run"
            + " until q or Ctrl-C).")
    void count(long n) {
        if (n < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--count must be at least 1, got " + n);
        }
        topCount = n;
    }

    @Option(names = {"-A", "--archive"}, paramLabel = "ID", description = "Archive id sent in ehlo (repeatable).")
    void archive(long id) {
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "archive id " + id + " out of range 0.." + Integer.MAX_VALUE);
        }
        archives.add(id);
    }

    @Option(names = {"-i", "--iters"}, paramLabel = "N", description = "Rounds of replies to read (default 1;"
            + " 0: exit once sent; negative: forever).")
    void iters(long n) {
        iterations = n;
    }

    @Option(names = {"-v", "--verbose"}, description = "More verbose (repeatable; -vv makes status dump the queues).")
    void verbose(boolean set) {
        verbosity++;
    }

    @Option(names = {"-q", "--quiet"}, description = "Less verbose (repeatable).")
    void quiet(boolean set) {
        verbosity--;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err,
                Terminal.isTerminal(Terminal.STDOUT)));
    }

    /**
     * @param stdoutIsTerminal shows the -Q progress bar (on standard error)
     * @return the exit status
     */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                   boolean stdoutIsTerminal) {
        CoordinatoolClient c = new CoordinatoolClient();
        CommandLine cli = new CommandLine(c).setOverwrittenOptionsAllowed(true);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("coordinatool-client: " + e.getMessage());
            return 1;
        }
        if (c.helpRequested) {
            cli.usage(out);
            return 0;
        }
        if (c.versionRequested) {
            out.println("Coordinatool client version " + Version.text());
            return 0;
        }
        if (!c.extra.isEmpty()) {
            err.println("coordinatool-client: extra argument specified: " + c.extra.get(0));
            return 1;
        }
        try {
            return c.execute(env, in, out, err, stdoutIsTerminal);
        } catch (ConfigException | IOException | IllegalArgumentException e) {
            err.println("coordinatool-client: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("coordinatool-client: interrupted");
            return 1;
        }
    }

    private int execute(Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                        boolean stdoutIsTerminal) throws ConfigException, IOException, InterruptedException {
        Logging.apply(quiet(ConfigLoader.earlyLogLevel(env).shifted(verbosity)));
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        OptionOverrides.put(overrides, "host", host);
        OptionOverrides.put(overrides, "port", port);
        security.addTo(overrides);
        ClientSettings settings = ConfigLoader.system().load(Side.CLIENT, config, env, overrides).client();
        LogLevel level = settings.verbose().shifted(verbosity);
        Logging.apply(quiet(level));
        Deadline deadline = timeoutSeconds > 0 ? Deadline.after(Duration.ofSeconds(timeoutSeconds)) : Deadline.NONE;

        QueueInput queued = null;
        if (mode == Mode.QUEUE) {
            queued = QueueInput.read(new InputStreamReader(in, StandardCharsets.UTF_8), err);
            if (queued.items().isEmpty()) {
                out.println("enqueued 0, skipped 0, rejected " + queued.rejected());
                return 0;
            }
        }
        Command.Ehlo ehlo = new Command.Ehlo(clientId, null, archives, null, List.of());
        ClientProtection protection = ClientProtection.load(settings.security());
        try (ServerConnection server = ServerConnection.open(settings.host(), settings.port(), protection, ehlo,
                deadline)) {
            Session session = new Session(server, out, err);
            return switch (mode) {
                case STATUS -> session.status(level.value());
                case LOCK -> session.lock(lockValue);
                case QUEUE -> session.queue(queued, stdoutIsTerminal);
                case RECV, DRAIN -> session.receive(settings, mode == Mode.DRAIN);
                case FIND -> session.find(findTarget);
                case TOP -> session.top(stdoutIsTerminal, in);
            };
        }
    }

    /**
     * A command-line tool prints only warnings at the default level: informational lines, such
     * as a missing default configuration file, would clutter its output. -v shows them.
     */
    private static LogLevel quiet(LogLevel level) {
        return level == LogLevel.NORMAL ? LogLevel.WARN : level;
    }

    /** The requests of one mode over an established connection. */
    private final class Session {
        private final ServerConnection server;
        private final PrintStream out;
        private final PrintStream err;

        Session(ServerConnection server, PrintStream out, PrintStream err) {
            this.server = server;
            this.out = out;
            this.err = err;
        }

        int status(int verbose) throws IOException {
            server.send(new Command.Status(verbose));
            if (iterations == 0) {
                return 0;
            }
            byte[] raw = server.read();
            Reply reply = decode(raw);
            if (!(reply instanceof Reply.StatusReport report)) {
                err.println("coordinatool-client: status failed: " + ServerConnection.describe(reply));
                return 1;
            }
            out.print(json ? pretty(raw) + "\n" : new StatusTable(ZoneId.systemDefault()).render(report));
            return 0;
        }

        int lock(int value) throws IOException {
            server.send(new Command.Lock(value));
            if (iterations == 0) {
                return 0;
            }
            Reply reply = decode(server.read());
            if (reply instanceof Reply.Simple s && s.status() == 0) {
                out.println("ok");
                return 0;
            }
            String error = reply instanceof Reply.Simple s ? s.error() + " (status " + s.status() + ")"
                    : ServerConnection.describe(reply);
            err.println("error locking: " + error);
            return 1;
        }

        int queue(QueueInput input, boolean progress) throws IOException {
            List<WireItem> items = input.items();
            ProgressBar bar = progress ? new ProgressBar(err, "queue", items.size()) : null;
            long enqueued = 0;
            long skipped = 0;
            long rejected = input.rejected();
            boolean failed = false;
            for (int from = 0; from < items.size(); from += QUEUE_BATCH) {
                List<WireItem> batch = items.subList(from, Math.min(items.size(), from + QUEUE_BATCH));
                server.send(new Command.Queue(true, batch, List.of(), fsname));
                if (iterations == 0) {
                    continue;
                }
                Reply reply = decode(server.read());
                if (!(reply instanceof Reply.QueueResult q)) {
                    err.println("coordinatool-client: queue failed: " + ServerConnection.describe(reply));
                    rejected += batch.size();
                    failed = true;
                } else {
                    enqueued += q.enqueued();
                    skipped += q.skipped();
                    long refused = batch.size() - q.enqueued() - q.skipped();
                    rejected += Math.max(0, refused);
                    if (q.status() != 0) {
                        err.println("coordinatool-client: queue error: " + q.error() + " (status " + q.status() + ")");
                        failed = true;
                    } else if (refused != 0) {
                        err.println("coordinatool-client: didn't process all records (expected " + batch.size()
                                + ", got " + q.enqueued() + "+" + q.skipped() + ")");
                        failed = true;
                    }
                }
                if (bar != null) {
                    bar.update(from + batch.size());
                }
            }
            if (bar != null) {
                bar.finish();
            }
            if (iterations == 0) {
                return 0;
            }
            out.println("enqueued " + enqueued + ", skipped " + skipped + ", rejected " + rejected);
            return failed ? 1 : 0;
        }

        int find(Command.Find target) throws IOException {
            server.send(target);
            if (iterations == 0) {
                return 0;
            }
            byte[] raw;
            try {
                raw = server.read();
            } catch (EOFException e) {
                // The original server drops connections that send a command it does not know.
                err.println("coordinatool-client: the server does not support find (it closed the connection)");
                return 1;
            }
            Reply reply = decode(raw);
            if (reply instanceof Reply.Simple s && s.status() != 0) {
                if (s.error() != null && s.error().startsWith("unknown command")) {
                    err.println("coordinatool-client: the server does not support find (" + s.error() + ")");
                } else {
                    err.println("coordinatool-client: find failed: " + s.error() + " (status " + s.status() + ")");
                }
                return 1;
            }
            if (!(reply instanceof Reply.FindResult result)) {
                err.println("coordinatool-client: find failed: " + ServerConnection.describe(reply));
                return 1;
            }
            out.print(json ? pretty(raw) + "\n" : new FindView(ZoneId.systemDefault()).render(result));
            return result.requests().isEmpty() ? EXIT_UNKNOWN : 0;
        }

        /**
         * Refreshes until the count is reached, q is pressed or the process is interrupted. On a
         * terminal each frame replaces the previous one and the terminal is restored on the way
         * out, Ctrl-C included; otherwise frames follow each other separated by a blank line.
         */
        int top(boolean terminal, InputStream in) throws IOException, InterruptedException {
            CountDownLatch quit = new CountDownLatch(1);
            KeyboardMode keys = terminal ? KeyboardMode.enter() : null;
            Thread restore = new Thread(() -> restoreTerminal(keys), "terminal-restore");
            if (terminal) {
                out.print(HIDE_CURSOR);
                Runtime.getRuntime().addShutdownHook(restore);
            }
            if (keys != null) {
                Thread reader = new Thread(() -> waitForQuitKey(in, quit), "top-keys");
                reader.setDaemon(true);
                reader.start();
            }
            try {
                TopView view = new TopView(ZoneId.systemDefault());
                TopView.Snapshot previous = null;
                for (long frame = 0; topCount == 0 || frame < topCount; frame++) {
                    if (frame > 0 && quit.await(intervalMillis, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    server.send(new Command.Status(JsonCodec.DEFAULT_STATUS_VERBOSE));
                    Reply reply = decode(server.read());
                    if (!(reply instanceof Reply.StatusReport report)) {
                        err.println("coordinatool-client: status failed: " + ServerConnection.describe(reply));
                        return 1;
                    }
                    TopView.Snapshot current = new TopView.Snapshot(report, System.nanoTime());
                    String text = view.render(previous, current, System.currentTimeMillis());
                    if (terminal) {
                        out.print(CLEAR_HOME + text);
                    } else {
                        out.print(frame == 0 ? text : "\n" + text);
                    }
                    out.flush();
                    previous = current;
                }
                return 0;
            } finally {
                if (terminal) {
                    Runtime.getRuntime().removeShutdownHook(restore);
                    restoreTerminal(keys);
                }
            }
        }

        private void restoreTerminal(KeyboardMode keys) {
            if (keys != null) {
                keys.restore();
            }
            out.print(SHOW_CURSOR);
            out.flush();
        }

        private static void waitForQuitKey(InputStream in, CountDownLatch quit) {
            try {
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == 'q' || c == 'Q') {
                        quit.countDown();
                        return;
                    }
                }
            } catch (IOException e) {
                // No keyboard: the view runs until its count or an interrupt.
            }
        }

        int receive(ClientSettings settings, boolean drain) throws IOException {
            Command.Recv recv = new Command.Recv(settings.maxArchive(), settings.maxRestore(), settings.maxRemove(),
                    settings.halSize());
            server.send(recv);
            for (long round = 0; iterations < 0 || round < iterations; round++) {
                do {
                    byte[] raw = server.read();
                    Reply reply = decode(raw);
                    out.println("Got " + reply.command() + " reply:");
                    out.println(pretty(raw));
                    if (reply instanceof Reply.ActionList list) {
                        if (drain) {
                            for (WireItem item : list.items()) {
                                server.send(new Command.Done(item.cookie(), item.dfid(), 0));
                            }
                        }
                        server.send(recv);
                    } else if (reply instanceof Reply.Simple s && s.status() != 0) {
                        err.println("coordinatool-client: " + s.command() + " failed: " + s.error()
                                + " (status " + s.status() + ")");
                        return 1;
                    } else if (reply.command().equals("recv")) {
                        err.println("coordinatool-client: no hal in the recv reply");
                        return 1;
                    }
                } while (server.hasBuffered());
            }
            return 0;
        }

        private Reply decode(byte[] raw) throws IOException {
            try {
                return JsonCodec.decodeReply(raw);
            } catch (InvalidContentException e) {
                throw new IOException("unexpected reply from the server: " + e.getMessage(), e);
            }
        }

        private String pretty(byte[] raw) throws IOException {
            try {
                return JsonCodec.relayout(raw, JsonStyle.PRETTY);
            } catch (InvalidContentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** The requests read from an active_requests listing and how many lines were refused. */
    record QueueInput(List<WireItem> items, int rejected) {

        /** Reports every blank or malformed line on {@code err} with its number, and skips it. */
        static QueueInput read(java.io.Reader in, PrintStream err) throws IOException {
            List<WireItem> items = new ArrayList<>();
            int[] rejected = {0};
            ActiveRequestsParser.parse(in, line -> {
                if (line instanceof ActiveRequestsLine.Parsed p) {
                    items.add(toItem(p.request()));
                } else if (line instanceof ActiveRequestsLine.Malformed m) {
                    err.println("coordinatool-client: " + m.describe() + "; skipped");
                    rejected[0]++;
                } else if (line instanceof ActiveRequestsLine.Skipped s
                        && s.reason() == ActiveRequestsLine.SkipReason.BLANK) {
                    err.println("coordinatool-client: line " + s.lineNumber() + ": empty line; skipped");
                    rejected[0]++;
                }
            });
            return new QueueInput(items, rejected[0]);
        }

        /**
         * The data is sent exactly as the listing shows it; the original client padded it with
         * NULs to a multiple of 8, an artefact of its binary item buffer.
         */
        static WireItem toItem(ActiveRequest r) {
            return new WireItem(r.action().code(), r.fid(), r.dfid(), r.extent().offset(), r.extent().length(),
                    r.cookie(), r.gid(), r.archiveId(), r.flags(), r.data(), 0, null);
        }
    }
}
