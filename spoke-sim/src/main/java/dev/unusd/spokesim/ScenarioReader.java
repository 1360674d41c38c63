package dev.unusd.spokesim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.unusd.spokesim.scenario.ScenarioTree;

/**
 * Reads scenarios from YAML or JSON (JSON is YAML, so one parser serves both). Relative dates are resolved against
 * the given load time; unknown fields fail loudly so a typo in a fixture does not silently change a test.
 */
public final class ScenarioReader {

    public static final String DEMO = "demo";

    private final ScenarioTree tree;

    public ScenarioReader(Instant now) {
        this.tree = new ScenarioTree(now);
    }

    public static Scenario demo() {
        return new ScenarioReader(Instant.now()).read(DEMO);
    }

    /**
     * The name of a built-in scenario on the classpath ("demo"), or a file path. A bare name means the built-in even
     * when a file of that name happens to be in the working directory (the project's ./demo launcher is one).
     */
    public Scenario read(String fileOrName) {
        Path path = Path.of(fileOrName);
        boolean bareName = !fileOrName.contains("/") && !fileOrName.contains(".");
        if (!(bareName && ScenarioReader.class.getResource("scenarios/" + fileOrName + ".yaml") != null)
                && Files.isRegularFile(path)) {
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
        return tree.scenario(new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlOrJson));
    }
}
