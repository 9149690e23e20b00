package org.coordinatool.coordinator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.coordinatool.config.MetricsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in the Prometheus text format.
 *
 * <p>The JDK's own HTTP server (module {@code jdk.httpserver}) is enough for one resource
 * fetched every few seconds by a scraper: no dependency to add, and its single thread keeps
 * scrapes away from the event loops. It answers 404 for other paths, 405 for methods other than
 * GET and HEAD, and 503 when the values cannot be collected (see {@link Unavailable}).
 */
public final class MetricsHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    public static final String PATH = "/metrics";
    /** The Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Thrown by the scrape when the values cannot be collected now; answered with 503. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code endpoint} and starts serving {@code scrape}'s text.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static MetricsHttpServer start(MetricsEndpoint endpoint, Supplier<String> scrape) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(endpoint.host(), endpoint.port()), 16);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + endpoint.host() + ":" + endpoint.port() + ": "
                    + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, scrape));
        server.start();
        MetricsHttpServer s = new MetricsHttpServer(server, executor);
        LOG.info("serving metrics on http://{}:{}{}", endpoint.host(), s.port(), PATH);
        return s;
    }

    /** The bound port (the one asked for, unless it was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Supplier<String> scrape) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found: metrics are at " + PATH + "\n", true);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n", true);
            } else {
                String body;
                try {
                    body = scrape.get();
                } catch (Unavailable e) {
                    reply(exchange, 503, "text/plain; charset=utf-8", e.getMessage() + "\n", true);
                    return;
                }
                reply(exchange, 200, CONTENT_TYPE, body, !method.equals("HEAD"));
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics request failed", e);
            throw e;
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
        if (withBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
