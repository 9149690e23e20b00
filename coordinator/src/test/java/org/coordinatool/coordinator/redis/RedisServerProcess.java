package org.coordinatool.coordinator.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests: started on a free loopback port in its own temporary
 * directory, without persistence ({@link #start}) or with the append-only file a site runs it with
 * ({@link #startPersistent}), and ready (answering PING) when started. It can be killed with
 * SIGKILL and restarted on the same port and directory to simulate a crash. {@link #client} gives a
 * minimal RESP connection that does not depend on the code under test, to write dumps by hand and
 * read back exactly what is stored.
 *
 * <p>The binary is {@code /usr/bin/redis-server} unless the system property {@code redis.server}
 * names another one.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int PORT_ATTEMPTS = 5;

    /** No persistence: a restarted server is empty. */
    private static final List<String> VOLATILE = List.of("--save", "", "--appendonly", "no");

    /**
     * What a coordinator's Redis runs with in production: every write appended to a file that is
     * fsynced each second, so a crash of redis-server alone loses nothing it acknowledged and a
     * crash of the machine at most the last second.
     */
    private static final List<String> APPEND_ONLY = List.of("--save", "", "--appendonly", "yes",
            "--appendfsync", "everysec");

    private final Path binary;
    private final Path dir;
    private final List<String> persistence;
    private int port;
    private Process process;

    private RedisServerProcess(Path binary, Path dir, List<String> persistence) {
        this.binary = binary;
        this.dir = dir;
        this.persistence = persistence;
    }

    public static RedisServerProcess start() {
        return start(VOLATILE);
    }

    /** A server with an append-only file in its directory, reloaded by {@link #restart}. */
    public static RedisServerProcess startPersistent() {
        return start(APPEND_ONLY);
    }

    private static RedisServerProcess start(List<String> persistence) {
        Path binary = Paths.get(System.getProperty("redis.server", "/usr/bin/redis-server"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("redis-server not found at " + binary
                    + ": install it (apt-get install redis-server) or set -Dredis.server=PATH");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerProcess server = new RedisServerProcess(binary, dir, persistence);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                server.launch(freePort());
                return server;
            } catch (IllegalStateException e) {
                // Another process may have taken the port between probing and binding.
                last = e;
            }
        }
        server.deleteDir();
        throw last;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash: nothing is written, clients see the connection drop. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing redis-server", e);
        }
        process = null;
    }

    /**
     * Starts a new server on the same port and directory (killing the current one first if
     * needed): empty without persistence, else with what its append-only file holds.
     */
    public void restart() {
        kill();
        launch(port);
    }

    @Override
    public void close() {
        kill();
        deleteDir();
    }

    /** A new raw connection; close it after use. */
    public Client client() {
        try {
            return new Client(new Socket(host(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HGETALL through a fresh raw connection, values decoded as UTF-8, in server order. */
    public Map<String, String> hgetall(String hash) {
        try (Client c = client()) {
            return c.hgetall(hash);
        }
    }

    private void launch(int newPort) {
        port = newPort;
        Path log = dir.resolve("redis-" + newPort + ".log");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(newPort),
                "--bind", host(),
                "--dir", dir.toString(),
                "--daemonize", "no"));
        command.addAll(persistence);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("redis-server exited at start on port " + newPort
                        + ": " + tail(log));
            }
            if (answersPing()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server did not answer PING within "
                        + START_TIMEOUT + " on port " + newPort + ": " + tail(log));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 200);
            s.setSoTimeout(1000);
            try (Client c = new Client(s)) {
                return "PONG".equals(c.call("PING"));
            }
        } catch (IOException | UncheckedIOException | ErrorReply e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void deleteDir() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A blocking RESP2 connection. Replies map to: simple string → String, integer → Long, bulk
     * string → byte[] (null when nil), array → List (null when nil); an error reply throws
     * {@link ErrorReply}.
     */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        public Object call(String... args) {
            byte[][] raw = new byte[args.length][];
            for (int i = 0; i < args.length; i++) {
                raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
            }
            return call(raw);
        }

        public Object call(byte[]... args) {
            try {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                buf.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (byte[] a : args) {
                    buf.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    buf.write(a);
                    buf.write('\r');
                    buf.write('\n');
                }
                out.write(buf.toByteArray());
                out.flush();
                return read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Map<String, String> hgetall(String hash) {
            List<?> flat = (List<?>) call("HGETALL", hash);
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < flat.size(); i += 2) {
                map.put(utf8(flat.get(i)), utf8(flat.get(i + 1)));
            }
            return map;
        }

        private static String utf8(Object bulk) {
            return new String((byte[]) bulk, StandardCharsets.UTF_8);
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = readLine();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new ErrorReply(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int len = Integer.parseInt(line);
                    if (len < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(len);
                    if (data.length != len || in.read() != '\r' || in.read() != '\n') {
                        throw new EOFException("truncated bulk reply");
                    }
                    return data;
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                case -1:
                    throw new EOFException("connection closed by redis-server");
                default:
                    throw new IOException("unexpected RESP type byte " + type);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new EOFException("connection closed by redis-server");
                }
                sb.append((char) c);
            }
            if (in.read() != '\n') {
                throw new IOException("malformed RESP line");
            }
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An error reply from the server, e.g. {@code WRONGTYPE ...}. */
    public static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message);
        }
    }
}
