package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.client.MessageReader;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.JsonCodec;
import org.coordinatool.coordinator.protocol.Reply;

/**
 * A coordinator played by the test over real TCP: shows the agent's requests exactly as decoded
 * and answers what the test says. One connection at a time, the latest accepted.
 */
final class ScriptedCoordinator implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** A request and the number of the connection it came on (1 = first). */
    record Received(int connection, Command command) {
    }

    private final ServerSocket server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Socket current;
    private int connections;

    ScriptedCoordinator() throws IOException {
        this(0);
    }

    ScriptedCoordinator(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10);
        Thread acceptor = new Thread(this::acceptLoop, "scripted-coordinator");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Received next() throws InterruptedException {
        Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(r, "no request from the agent within " + WAIT);
        return r;
    }

    <T extends Command> T next(Class<T> type) throws InterruptedException {
        return assertInstanceOf(type, next().command());
    }

    /** Nothing received within {@code quiet}: for asserting that a request is not sent. */
    Received poll(Duration quiet) throws InterruptedException {
        return received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    void reply(Reply reply) throws IOException {
        Socket s = current;
        s.getOutputStream().write(JsonCodec.encodeReply(reply));
        s.getOutputStream().flush();
    }

    void ok(String command) throws IOException {
        reply(Reply.Simple.ok(command));
    }

    /** Closes the current connection, as a coordinator that dies does. */
    void drop() throws IOException {
        current.close();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = server.accept();
                int number = ++connections;
                current = s;
                Thread t = new Thread(() -> readLoop(s, number), "scripted-coordinator-" + number);
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void readLoop(Socket s, int number) {
        try {
            MessageReader reader = new MessageReader(s.getInputStream());
            while (true) {
                received.add(new Received(number, JsonCodec.decodeCommand(reader.next())));
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = current;
        if (s != null) {
            s.close();
        }
    }
}
