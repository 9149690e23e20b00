package org.coordinatool.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard shipped in {@code dist/grafana}: its PromQL queries and the metrics they read. */
public final class Dashboard {

    /** Names of the metrics coordinatool exports: its own and micrometer's JVM and process ones. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:coordinatool|jvm|process|system)_[a-zA-Z0-9_:]*");

    private final JsonNode root;

    private Dashboard(JsonNode root) {
        this.root = root;
    }

    public static Path file() {
        return CoordinatorProcess.repositoryRoot().resolve("dist/grafana/coordinatool-dashboard.json");
    }

    public static Dashboard load() {
        try {
            return new Dashboard(new ObjectMapper().readTree(file().toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Every PromQL expression: panel targets (rows included) and template variable queries. */
    public List<String> queries() {
        List<String> out = new ArrayList<>();
        collect(root.path("panels"), out);
        for (JsonNode variable : root.path("templating").path("list")) {
            JsonNode q = variable.path("query");
            out.add(q.isTextual() ? q.asText() : q.path("query").asText());
        }
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
            collect(p.path("panels"), out);
        }
    }

    /** The metric names a query reads. */
    public static Set<String> metrics(String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Every datasource reference (panels and targets), which must all be the import variable. */
    public List<String> datasources() {
        List<String> out = new ArrayList<>();
        root.findParents("datasource").forEach(n -> out.add(n.path("datasource").path("uid").asText()));
        return out;
    }
}
