package org.coordinatool.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.coordinatool.coordinator.core.ClientConnection;
import org.coordinatool.coordinator.core.UnexpectedEvents;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;

/**
 * A stand-in for the coordinator that records what the network layer hands it and answers each
 * command with scripted replies, so tests can check the bytes on the wire.
 */
public final class ScriptedEvents extends UnexpectedEvents {

    public record Event(String kind, ClientConnection connection, Command command, String thread) {
    }

    public final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    public volatile Function<Command, List<Reply>> script = c -> List.of();
    /** Commands after whose replies the connection is closed, as the original server does with unknown ones. */
    public volatile java.util.function.Predicate<Command> closeAfter = c -> false;

    @Override
    public void connected(ClientConnection connection) {
        events.add(new Event("connected", connection, null, Thread.currentThread().getName()));
    }

    /**
     * Refused messages are answered as the coordinator answers them and not recorded: tests look at
     * the commands that made sense.
     */
    @Override
    public void received(ClientConnection connection, Command command) {
        if (command instanceof Command.Invalid invalid) {
            connection.send(new Reply.Simple(invalid.name(), 22, invalid.error()));
            return;
        }
        events.add(new Event("received", connection, command, Thread.currentThread().getName()));
        for (Reply reply : script.apply(command)) {
            connection.send(reply);
        }
        if (closeAfter.test(command)) {
            connection.close();
        }
    }

    @Override
    public void disconnected(ClientConnection connection) {
        events.add(new Event("disconnected", connection, null, Thread.currentThread().getName()));
    }

    public Event next(String kind) throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no " + kind + " event within 10 s");
        assertEquals(kind, e.kind(), "event " + e);
        return e;
    }

    public Command nextCommand() throws InterruptedException {
        return next("received").command();
    }
}
