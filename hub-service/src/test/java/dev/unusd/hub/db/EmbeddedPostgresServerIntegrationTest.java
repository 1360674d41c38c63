package dev.unusd.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's folder across hub lives: a live hub's folder is not taken, a server left behind by a hub
 * killed with SIGKILL is stopped and its data kept, and a throwaway cluster is gone once stopped. The hub jar, which
 * lacks the binaries, says it has none.
 */
class EmbeddedPostgresServerIntegrationTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(180)
    void aServerLeftByAKilledHubIsStoppedAndItsDataKept() throws Exception {
        Path data = folder.resolve("demo-db");
        Process hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KeepingHub.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
                // the child's start-up output
            }
            assertThat(line).as("the child hub started its server").isNotNull();
            long orphan = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());

            assertThatThrownBy(() -> EmbeddedPostgresServer.startKeeping(data))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("another process runs the embedded PostgreSQL in " + data + " (a hub still running?)");

            hub.destroyForcibly().waitFor();
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the server outlives its hub").contains(true);

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startKeeping(data)) {
                // Stopped, so its pid file is gone; the process itself may take a moment to be reaped.
                assertThat(ProcessHandle.of(orphan).map(ProcessHandle::onExit)
                        .orElse(CompletableFuture.completedFuture(null))).succeedsWithin(Duration.ofSeconds(10));
                assertThat(notes(server)).containsExactly("written by the killed hub");
            }
        } finally {
            hub.destroyForcibly().waitFor();
            // Whatever failed above, leave no server running.
            Path pid = data.resolve("postmaster.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    @Test
    void aThrowawayClusterIsDeletedWhenItsServerStops() throws SQLException {
        Path data = folder.resolve("test-db");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startThrowaway(data);
        String url = server.jdbcUrl("postgres");
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_setting('server_version'), rolsuper from pg_roles "
                        + "where rolname = current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("17.6").isEqualTo(server.version());
            assertThat(rs.getBoolean(2)).isTrue();
        }
        server.close();
        assertThat(data).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close()).isInstanceOf(SQLException.class);
    }

    @Test
    void theHubJarWhichHasNoBinariesSaysSo() throws Exception {
        // The hub's own classes without the binaries and commons-compress, as in the hub jar.
        URL classes = EmbeddedPostgresServer.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader hubJar = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> server = Class.forName(EmbeddedPostgresServer.class.getName(), true, hubJar);
            assertThat(server.getMethod("available").invoke(null)).isEqualTo(false);
        }
        assertThat(EmbeddedPostgresServer.available()).as("here, with the binaries").isTrue();
    }

    private static List<String> notes(EmbeddedPostgresServer server) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select note from notes")) {
            List<String> notes = new ArrayList<>();
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
            return notes;
        }
    }

    /** A hub reduced to its database: starts the server over the folder, writes a row, then waits to be killed. */
    public static final class KeepingHub {

        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.startKeeping(Path.of(args[0]));
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("create table notes (note text)");
                s.execute("insert into notes values ('written by the killed hub')");
            }
            System.out.println("ready " + server.jdbcUrl("postgres"));
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
