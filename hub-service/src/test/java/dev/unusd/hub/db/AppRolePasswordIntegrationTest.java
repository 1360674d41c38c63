package dev.unusd.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.TestDatabase;

/**
 * The application role's password is set after the migrations (HUB_DB_APP_PASSWORD). The server must never receive
 * it in plain text: an ALTER ROLE statement lands in the server's log under log_statement = 'ddl' (or pgaudit) and in
 * pg_stat_statements. Everything the hub sends while migrating goes through a recording proxy here.
 */
class AppRolePasswordIntegrationTest {

    private static final Pattern SERVER = Pattern.compile("^jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*$");

    @Test
    void thePasswordReachesTheServerOnlyAsAHash() throws Exception {
        TestDatabase db = TestDatabase.get();
        Matcher m = SERVER.matcher(db.url());
        assertThat(m.matches()).as("a PostgreSQL URL: %s", db.url()).isTrue();
        String host = m.group(1);
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String database = "unusd_pw_" + suffix;
        String role = "unusd_pw_" + suffix;
        String password = "plain-" + UUID.randomUUID();
        String databaseUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        DatabaseBootstrap.createIfMissing(databaseUrl, db.adminUser(), db.adminPassword());
        Path noMigrations = Files.createTempDirectory("no-migrations");
        try (Connection admin = db.admin(); Statement s = admin.createStatement()) {
            s.execute("create role " + role + " login");
        }
        try (RecordingProxy proxy = new RecordingProxy(host, port)) {
            // Plain TCP, so that the recording is what the server reads.
            Flyway flyway = Flyway.configure()
                    .dataSource("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database + "?sslmode=disable",
                            db.adminUser(), db.adminPassword())
                    .locations("filesystem:" + noMigrations)
                    .load();

            new Migrations(role, password).migrate(flyway);

            String sent = proxy.sent();
            assertThat(sent.toUpperCase(Locale.ROOT)).as("the statement setting the password went through the proxy")
                    .contains("PASSWORD");
            assertThat(sent).as("what the server received").doesNotContain(password);
        } finally {
            try (Connection admin = db.admin(); Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("select rolpassword from pg_authid where rolname = '" + role + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("a password was set").isNotNull().doesNotContain(password);
            } finally {
                db.drop(databaseUrl);
                dropRole(db, role);
                Files.deleteIfExists(noMigrations);
            }
        }
    }

    private static void dropRole(TestDatabase db, String role) {
        try (Connection admin = db.admin(); Statement s = admin.createStatement()) {
            s.execute("drop role if exists " + role);
        } catch (SQLException e) {
            System.err.println("could not drop role " + role + ": " + e.getMessage());
        }
    }

    /** Forwards connections to the server and keeps every byte the clients sent. */
    private static final class RecordingProxy implements AutoCloseable {

        private final ServerSocket listener;
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private final Thread acceptor;

        RecordingProxy(String host, int port) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(host, port);
                        Thread.ofVirtual().start(() -> pump(client, server, true));
                        Thread.ofVirtual().start(() -> pump(server, client, false));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        String sent() {
            synchronized (sent) {
                return sent.toString(StandardCharsets.ISO_8859_1);
            }
        }

        private void pump(Socket from, Socket to, boolean record) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (record) {
                        synchronized (sent) {
                            sent.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            acceptor.join();
        }
    }
}
