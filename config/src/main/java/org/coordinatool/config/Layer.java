package org.coordinatool.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

/**
 * The values one source (file, environment or command line) sets. Within a layer a repeatable
 * key accumulates; across layers a higher layer's list replaces a lower one's, which is what
 * {@link Config#withFallback} does with lists.
 */
final class Layer {
    private final Diagnostics diagnostics;
    private final Map<String, ConfigValue> single = new LinkedHashMap<>();
    private final Map<String, List<ConfigValue>> repeated = new LinkedHashMap<>();

    Layer(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * Converts and records one raw value.
     *
     * @throws InvalidValueException if the value is invalid, or one too many of a repeatable key
     */
    void add(ConfigKey key, Origin origin, String raw) throws InvalidValueException {
        var converted = key.type().convert(raw, diagnostics.about(origin, key.fileKey()));
        if (converted.isEmpty()) {
            return;
        }
        ConfigValue value = ConfigValueFactory.fromAnyRef(converted.get(), origin.describe());
        if (!key.repeatable()) {
            single.put(key.path(), value);
            return;
        }
        List<ConfigValue> list = repeated.computeIfAbsent(key.path(), path -> new ArrayList<>());
        if (list.size() == key.maxCount()) {
            throw new InvalidValueException("more than " + key.maxCount() + " values");
        }
        list.add(value);
    }

    Config toConfig(String description) {
        Config config = ConfigFactory.empty(description);
        for (Map.Entry<String, ConfigValue> entry : single.entrySet()) {
            config = config.withValue(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, List<ConfigValue>> entry : repeated.entrySet()) {
            config = config.withValue(entry.getKey(), ConfigValueFactory.fromIterable(entry.getValue(), description));
        }
        return config;
    }
}
