package dev.unusd.spokesim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads scenarios from YAML or JSON (JSON is YAML, so one parser serves both). Relative dates are resolved against
 * the given load time; unknown fields fail loudly so a typo in a fixture does not silently change a test.
 */
public final class ScenarioReader {

    public static final String DEMO = "demo";

    private final ScenarioTime time;
    private final JsonMapper mapper;

    public ScenarioReader(Instant now) {
        this.time = new ScenarioTime(now);
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addModule(new SimpleModule("scenario-time").addDeserializer(Instant.class, new InstantDeserializer()))
                .build();
    }

    public static Scenario demo() {
        return new ScenarioReader(Instant.now()).read(DEMO);
    }

    /** A file path, or the name of a built-in scenario on the classpath ("demo"). */
    public Scenario read(String fileOrName) {
        Path path = Path.of(fileOrName);
        if (Files.isRegularFile(path)) {
            try {
                return parse(Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = ScenarioReader.class.getResourceAsStream("scenarios/" + fileOrName + ".yaml")) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario file or built-in scenario named " + fileOrName);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Scenario parse(String yamlOrJson) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlOrJson);
        return mapper.convertValue(normalise(tree, null), Scenario.class);
    }

    /** SnakeYAML turns bare timestamps into Dates and "none" stays a string: make both what the records expect. */
    private static Object normalise(Object node, String field) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalise(v, String.valueOf(k))));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(normalise(v, null)));
            return copy;
        }
        if (node instanceof Date date) {
            return date.toInstant().toString();
        }
        if ("lastUsage".equals(field) && "none".equals(node)) {
            return Map.of();
        }
        return node;
    }

    private final class InstantDeserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            return time.parse(p.getValueAsString());
        }
    }
}
