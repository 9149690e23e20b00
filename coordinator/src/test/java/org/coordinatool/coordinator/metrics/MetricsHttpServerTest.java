package org.coordinatool.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.coordinatool.config.MetricsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void start(Supplier<String> scrape) throws IOException {
        server = MetricsHttpServer.start(new MetricsEndpoint("127.0.0.1", 0), scrape);
    }

    @Test
    void servesTheScrapeAtSlashMetrics() throws Exception {
        start(() -> "# TYPE up gauge\nup 1.0\n");
        HttpResponse<String> r = request("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(MetricsHttpServer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(1.0, PrometheusText.parse(r.body()).value("up"));
        HttpResponse<String> head = request("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        start(() -> "");
        assertEquals(404, request("GET", "/").statusCode());
        assertEquals(404, request("GET", "/metrics/x").statusCode());
        HttpResponse<String> post = request("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void anUnavailableScrapeIsA503WithItsReason() throws Exception {
        start(() -> {
            throw new MetricsHttpServer.Unavailable("the state loop did not answer within 5 ms");
        });
        HttpResponse<String> r = request("GET", "/metrics");
        assertEquals(503, r.statusCode());
        assertEquals("the state loop did not answer within 5 ms\n", r.body());
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class, () -> MetricsHttpServer.start(
                    new MetricsEndpoint("127.0.0.1", taken.getLocalPort()), () -> ""));
            assertTrue(e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
        }
    }

    @Test
    void theSamplerWaitsForTheLoopAndGivesUpOnAStuckOne() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<String> sampledOn = new AtomicReference<>();
            new LoopSampler(loop, () -> sampledOn.set(Thread.currentThread().getName()), Duration.ofSeconds(20))
                    .sampleNow();
            assertTrue(sampledOn.get().startsWith("pool-"), sampledOn.get());

            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            LoopSampler stuck = new LoopSampler(loop, () -> { }, Duration.ofMillis(50));
            MetricsHttpServer.Unavailable e = assertThrows(MetricsHttpServer.Unavailable.class, stuck::sampleNow);
            assertEquals("the state loop did not answer within 50 ms", e.getMessage());
            release.countDown();
        } finally {
            loop.shutdownNow();
        }
        MetricsHttpServer.Unavailable stopped = assertThrows(MetricsHttpServer.Unavailable.class,
                new LoopSampler(loop, () -> { }, Duration.ofSeconds(1))::sampleNow);
        assertTrue(stopped.getMessage().startsWith("stopping"), stopped.getMessage());
    }
}
