package dev.unusd.hub.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Creates the hub's database before anything connects to it, so a fresh machine with only a Postgres server
 * needs no manual step. Uses the migration (admin) credentials against the server's {@code postgres} database.
 */
public class DatabaseBootstrap implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final Pattern POSTGRES_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?$");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment env = context.getEnvironment();
        if (!env.getProperty("hub.db.create-if-missing", Boolean.class, true)) {
            return;
        }
        String url = env.getRequiredProperty("spring.datasource.url");
        createIfMissing(url, env.getProperty("spring.flyway.user", "postgres"), env.getProperty("spring.flyway.password", ""));
    }

    public static void createIfMissing(String url, String adminUser, String adminPassword) {
        Matcher m = POSTGRES_URL.matcher(url);
        if (!m.matches()) {
            return;
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, adminUser, adminPassword)) {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
                log.info("Created database {}", database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by another hub instance
            }
            // The server may be unreachable now or the admin may lack CREATEDB: the datasource reports it properly.
            log.warn("Could not ensure database {} exists: {}", database, e.getMessage());
        }
    }
}
