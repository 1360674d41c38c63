package dev.unusd.hub.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Decides, before anything connects, which PostgreSQL the hub uses, and says which and why in one log line: the
 * configured server, or one the hub runs itself ({@link EmbeddedPostgresServer}). {@code hub.db.embedded}
 * ({@code HUB_DB_EMBEDDED}) is {@code false} by default, so production never starts one unasked; {@code true} asks
 * for it; {@code when-unreachable} (the demo profile's default) starts it only when no database is configured and
 * nothing answers at the default URL.
 */
public class DatabaseChoice implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(DatabaseChoice.class);
    private static final Pattern POSTGRES_URL = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)(\\?.*)?$");
    private static final String URL = "spring.datasource.url";

    enum Mode {
        FALSE, TRUE, WHEN_UNREACHABLE;

        static Mode parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("HUB_DB_EMBEDDED must be true, false or when-unreachable, not " + value);
            }
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        Mode mode = Mode.parse(env.getProperty("hub.db.embedded", "false"));
        String url = env.getRequiredProperty(URL);
        boolean configured = configured(env);
        String reason;
        switch (mode) {
            case FALSE -> {
                log.info("Database: {} ({})", withoutParameters(url), configured ? "configured" : "the default; HUB_DB_URL is not set");
                return;
            }
            case TRUE -> {
                if (configured) {
                    throw new IllegalStateException("HUB_DB_EMBEDDED=true and a database URL (HUB_DB_URL) are both set: choose one");
                }
                reason = "HUB_DB_EMBEDDED=true";
            }
            default -> {
                if (configured) {
                    log.info("Database: {} (configured)", withoutParameters(url));
                    return;
                }
                Optional<InetSocketAddress> server = server(url);
                if (server.isEmpty() || answers(server.get())) {
                    log.info("Database: {} (a server answers there)", withoutParameters(url));
                    return;
                }
                reason = "HUB_DB_URL is not set and nothing answers on " + server.get().getHostString() + ":"
                        + server.get().getPort();
            }
        }
        startEmbedded(context, env, url, reason);
    }

    private static void startEmbedded(ConfigurableApplicationContext context, ConfigurableEnvironment env, String url,
            String reason) {
        if (!EmbeddedPostgresServer.available()) {
            throw new IllegalStateException("An embedded PostgreSQL is wanted (" + reason + ") but this build of the "
                    + "hub does not carry one: run the demo jar (hub-service-*-demo.jar, as ./demo does) or set HUB_DB_URL");
        }
        Path directory = Path.of(env.getRequiredProperty("hub.db.embedded-dir")).toAbsolutePath().normalize();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startKeeping(directory);
        String embeddedUrl = server.jdbcUrl(database(url));
        env.getPropertySources().addFirst(new MapPropertySource("embeddedDatabase", Map.of(
                URL, embeddedUrl,
                "spring.flyway.user", EmbeddedPostgresServer.SUPERUSER,
                "spring.flyway.password", "")));
        // Stopped after every bean that uses it (disposable beans go in reverse order of registration).
        if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean("embeddedPostgresServer", server::close);
        }
        log.info("Database: embedded PostgreSQL {} at {}, data in {} ({})", server.version(), embeddedUrl,
                server.dataDirectory(), reason);
    }

    /** Whether the database URL was given rather than left to the configuration files' default. */
    private static boolean configured(ConfigurableEnvironment env) {
        if (env.containsProperty("HUB_DB_URL")) {
            return true;
        }
        return Stream.of(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME,
                        StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                .map(env.getPropertySources()::get)
                .anyMatch(source -> source != null && source.containsProperty(URL));
    }

    private static Optional<InetSocketAddress> server(String url) {
        Matcher m = POSTGRES_URL.matcher(url);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(InetSocketAddress.createUnresolved(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2))));
    }

    private static boolean answers(InetSocketAddress server) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHostString(), server.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String database(String url) {
        Matcher m = POSTGRES_URL.matcher(url);
        return m.matches() && !m.group(3).isEmpty() ? m.group(3) : "unusd";
    }

    /** The URL without its parameters, which may carry a password. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
