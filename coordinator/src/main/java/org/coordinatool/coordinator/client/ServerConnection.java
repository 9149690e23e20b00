package org.coordinatool.coordinator.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.coordinatool.coordinator.net.PortNames;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.InvalidContentException;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection to the server, opened the way agents open theirs: try every address of
 * the host, say ehlo, and start over after a pause when nothing answers or the ehlo is refused.
 * Shared by the command-line client and the mover agent.
 */
public final class ServerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** The ehlo of the next attempt: an agent's list of running items may change between attempts. */
    @FunctionalInterface
    public interface EhloSource {
        Command.Ehlo next() throws InterruptedException;
    }

    private final Socket socket;
    private final OutputStream out;
    private final MessageReader reader;
    private final Deadline deadline;

    private ServerConnection(Socket socket, Deadline deadline) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new MessageReader(socket.getInputStream());
        this.deadline = deadline;
    }

    /**
     * Connects and completes the ehlo, retrying every 5 s until the deadline, as the original
     * clients do.
     *
     * @throws IOException when the address cannot be resolved or the deadline passes
     */
    public static ServerConnection open(String host, String port, ClientProtection protection, Command.Ehlo ehlo,
                                        Deadline deadline) throws IOException, InterruptedException {
        return open(host, port, protection, () -> ehlo, Backoff.FIXED_5S, deadline);
    }

    /**
     * Connects and completes the ehlo, pausing between attempts as {@code backoff} says, until the
     * deadline. An interrupt ends the pauses with {@link InterruptedException}.
     *
     * @throws IOException when the port is invalid, the host cannot be resolved or the deadline passes
     */
    public static ServerConnection open(String host, String port, ClientProtection protection, EhloSource ehlo,
                                        Backoff backoff, Deadline deadline) throws IOException, InterruptedException {
        int portNumber;
        try {
            portNumber = PortNames.resolve(port);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (int failures = 1; ; failures++) {
            String problem;
            Command.Ehlo hello = protection.sign(ehlo.next());
            ConnectAttempt attempt = connect(host, portNumber, protection.transport(), deadline);
            ServerConnection c = attempt.connection();
            if (c == null) {
                problem = "cannot connect to " + host + ":" + port + attempt.why();
            } else {
                try {
                    c.send(hello);
                    Reply reply = JsonCodec.decodeReply(c.read());
                    if (reply instanceof Reply.Simple s && s.command().equals("ehlo") && s.status() == 0) {
                        return c;
                    }
                    problem = "the server refused the ehlo: " + describe(reply);
                } catch (IOException | InvalidContentException e) {
                    problem = "ehlo with " + host + ":" + port + " failed: " + e.getMessage();
                }
                c.close();
            }
            long pause = backoff.delayMillis(failures);
            if (deadline.remainingMillis() < pause) {
                // The next attempt would start after the deadline.
                throw new IOException(problem + "; giving up (timeout " + deadline.limit().toSeconds() + " s)");
            }
            LOG.warn("{}; retrying in {}", problem, pause % 1000 == 0 ? pause / 1000 + " s" : pause + " ms");
            Thread.sleep(pause);
        }
    }

    /** @param why what went wrong with the last address, for the message; empty when connected */
    private record ConnectAttempt(ServerConnection connection, String why) {
    }

    private static ConnectAttempt connect(String host, int port, Transport transport, Deadline deadline)
            throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("unknown host '" + host + "'", e);
        }
        String why = "";
        for (InetAddress address : addresses) {
            Socket socket = null;
            try {
                socket = transport.connect(host, new InetSocketAddress(address, port),
                        (int) Math.min(CONNECT_TIMEOUT_MILLIS, deadline.remainingMillis()));
                return new ConnectAttempt(new ServerConnection(socket, deadline), "");
            } catch (IOException e) {
                LOG.debug("connecting to {}:{}: {}", address.getHostAddress(), port, e.getMessage());
                why = ": " + e.getMessage();
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return new ConnectAttempt(null, why);
    }

    public static String describe(Reply reply) {
        if (reply instanceof Reply.Simple s) {
            return s.command() + " reply with status " + s.status() + (s.error() == null ? "" : " (" + s.error() + ")");
        }
        return reply.command() + " reply";
    }

    public void send(Command command) throws IOException {
        out.write(JsonCodec.encodeCommand(command));
        out.flush();
    }

    /** The next reply, waiting until the deadline. */
    public byte[] read() throws IOException {
        long wait = deadline.remainingMillis();
        if (wait == 0) {
            throw new SocketTimeoutException("no reply from the server within " + deadline.limit().toSeconds() + " s");
        }
        socket.setSoTimeout(wait == Long.MAX_VALUE ? 0 : (int) Math.min(Integer.MAX_VALUE, wait));
        try {
            return reader.next();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no reply from the server within " + deadline.limit().toSeconds() + " s");
        }
    }

    /** Whether another reply has already arrived. */
    public boolean hasBuffered() throws IOException {
        return reader.hasBuffered();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
