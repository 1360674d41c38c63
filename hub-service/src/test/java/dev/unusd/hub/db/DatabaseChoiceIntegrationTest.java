package dev.unusd.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Which database the hub starts with, and the one line that says why: production takes the configured URL whatever
 * answers there; the demo's default runs the embedded server only when no URL is configured and nothing answers at
 * the default one, and that server keeps its data across restarts.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseChoiceIntegrationTest {

    @TempDir
    Path dataDirectory;

    @Test
    void theDemoRunsItsOwnServerWhenNoneIsConfiguredAndNoneAnswers(CapturedOutput output) throws Exception {
        int silent = freePort();
        Map<String, Object> demo = Map.of("hub.db.embedded", "when-unreachable",
                "spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + silent + "/unusd_demo");

        String firstUrl;
        try (GenericApplicationContext hub = start(demo, Map.of())) {
            firstUrl = hub.getEnvironment().getProperty("spring.datasource.url");
            assertThat(firstUrl).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/unusd_demo").doesNotContain(":" + silent + "/");
            assertThat(hub.getEnvironment().getProperty("spring.flyway.user")).isEqualTo("postgres");
            DatabaseBootstrap.createIfMissing(firstUrl, "postgres", "");
            try (Connection c = DriverManager.getConnection(firstUrl, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("create table kept (note text)");
                s.execute("insert into kept values ('written before the restart')");
            }
        }
        assertThat(output.getOut()).containsOnlyOnce("Database: embedded PostgreSQL 17.6 at " + firstUrl + ", data in "
                + dataDirectory.toAbsolutePath().normalize() + " (HUB_DB_URL is not set and nothing answers on 127.0.0.1:" + silent + ")");
        assertThatThrownBy(() -> DriverManager.getConnection(firstUrl, "postgres", "").close())
                .as("the server stops with the hub").isInstanceOf(SQLException.class);

        try (GenericApplicationContext hub = start(demo, Map.of());
                Connection c = DriverManager.getConnection(hub.getEnvironment().getProperty("spring.datasource.url"),
                        "postgres", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select note from kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written before the restart");
        }
    }

    @Test
    void productionUsesTheDefaultUrlEvenWhenNothingAnswers(CapturedOutput output) throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/unusd";
        try (GenericApplicationContext hub = start(Map.of("hub.db.embedded", "false", "spring.datasource.url", url),
                Map.of())) {
            assertThat(hub.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(url);
        }
        assertThat(output.getOut()).contains("Database: " + url + " (the default; HUB_DB_URL is not set)");
        assertThat(dataDirectory).isEmptyDirectory();
    }

    @Test
    void theDemoUsesAConfiguredUrlEvenWhenNothingAnswersThere(CapturedOutput output) throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/unusd_demo?password=secret";
        try (GenericApplicationContext hub = start(Map.of("hub.db.embedded", "when-unreachable"),
                Map.of("spring.datasource.url", url))) {
            assertThat(hub.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(url);
        }
        assertThat(output.getOut()).contains("Database: jdbc:postgresql://127.0.0.1:").contains("/unusd_demo (configured)")
                .doesNotContain("secret");
        assertThat(dataDirectory).isEmptyDirectory();
    }

    @Test
    void theDemoUsesTheServerThatAnswersAtTheDefaultUrl(CapturedOutput output) throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            String url = "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/unusd_demo";
            try (GenericApplicationContext hub = start(Map.of("hub.db.embedded", "when-unreachable",
                    "spring.datasource.url", url), Map.of())) {
                assertThat(hub.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(url);
            }
            assertThat(output.getOut()).contains("Database: " + url + " (a server answers there)");
        }
        assertThat(dataDirectory).isEmptyDirectory();
    }

    @Test
    void anEmbeddedServerAndAConfiguredUrlAreNotBothTaken() {
        assertThatThrownBy(() -> start(Map.of("hub.db.embedded", "true"),
                Map.of("spring.datasource.url", "jdbc:postgresql://db.example.test/unusd")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HUB_DB_EMBEDDED=true and a database URL (HUB_DB_URL) are both set: choose one");
        assertThatThrownBy(() -> start(Map.of("hub.db.embedded", "sometimes"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HUB_DB_EMBEDDED must be true, false or when-unreachable, not sometimes");
    }

    /**
     * A context initialised as the hub's main method does it. {@code files} stand for the configuration files,
     * {@code given} for what the operator set (system properties, the environment).
     */
    private GenericApplicationContext start(Map<String, Object> files, Map<String, Object> given) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, given));
        Map<String, Object> configuration = new HashMap<>(Map.of("spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:5432/unusd", "hub.db.embedded-dir", dataDirectory.toString()));
        configuration.putAll(files);
        env.getPropertySources().addLast(new MapPropertySource("application.yml", configuration));
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(env);
        new DatabaseChoice().initialize(context);
        context.refresh();
        return context;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
