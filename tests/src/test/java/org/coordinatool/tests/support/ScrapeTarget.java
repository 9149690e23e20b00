package org.coordinatool.tests.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.coordinatool.coordinator.metrics.PrometheusText;

/** A running program's Prometheus endpoint, scraped as Prometheus does and checked for its format. */
public record ScrapeTarget(String host, int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public URI uri() {
        return URI.create("http://" + host + ":" + port + "/metrics");
    }

    /** The raw exposition text; fails unless the answer is 200 in the Prometheus text format. */
    public String scrapeText() {
        HttpRequest request = HttpRequest.newBuilder(uri()).timeout(Duration.ofSeconds(20))
                .header("Accept", "text/plain").build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("scraping " + uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("scraping " + uri() + ": status " + response.statusCode() + ": " + response.body());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/plain; version=0.0.4")) {
            throw new AssertionError("scraping " + uri() + ": content type " + type);
        }
        return response.body();
    }

    /** A scrape, parsed strictly. */
    public PrometheusText scrape() {
        return PrometheusText.parse(scrapeText());
    }

    /** Scrapes until {@code accept} holds; returns that scrape. */
    public PrometheusText await(Duration timeout, String what, Predicate<PrometheusText> accept) {
        return Await.value(timeout, what + " (" + uri() + ")", this::scrape, accept);
    }
}
