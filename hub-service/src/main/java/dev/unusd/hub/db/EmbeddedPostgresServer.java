package dev.unusd.hub.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.util.ClassUtils;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server the hub runs itself, from the binaries packaged in the demo jar (and on the test classpath),
 * with its data in a folder of its own. Its superuser is {@code postgres} and it trusts local connections, so the
 * migrations create and grant the application role exactly as on any other server. Only touch this class after
 * {@link #available()} said yes: the hub jar leaves the binaries out.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    /** The lock file the library holds in the data folder while its server runs there. */
    private static final String LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres server;
    private final Path dataDirectory;
    private final String version;

    private EmbeddedPostgresServer(EmbeddedPostgres server, Path dataDirectory, String version) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.version = version;
    }

    /** Whether this build of the hub carries the embedded server (the demo jar and the tests do, the hub jar not). */
    public static boolean available() {
        return ClassUtils.isPresent("io.zonky.test.db.postgres.embedded.EmbeddedPostgres",
                EmbeddedPostgresServer.class.getClassLoader());
    }

    /**
     * Starts a server on a free port over {@code dataDirectory}, creating the cluster the first time and keeping it
     * afterwards. A server left running there by a hub that was killed is stopped first; a folder another live
     * process uses is refused.
     */
    public static EmbeddedPostgresServer startKeeping(Path dataDirectory) {
        return start(dataDirectory, false);
    }

    /** Starts a server over a new cluster in {@code dataDirectory}, deleted when the server stops (tests). */
    public static EmbeddedPostgresServer startThrowaway(Path dataDirectory) {
        return start(dataDirectory, true);
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, boolean throwaway) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            stopOrphanedServer(directory);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(throwaway)
                    // Kept data must survive a crash of the machine; a throwaway cluster need not.
                    .setServerConfig("synchronous_commit", throwaway ? "off" : "on")
                    // The first start extracts the binaries; a busy 2-core machine needs more than the default 10 s.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            return new EmbeddedPostgresServer(server, directory, version(server));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
        } catch (IllegalStateException e) {
            // Among others: no binaries for this platform (the build packages Linux x86_64 only).
            throw new IllegalStateException("could not start the embedded PostgreSQL in " + directory + " on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The library starts the server with pg_ctl, so it outlives a JVM killed with SIGKILL and would hold the folder.
     * Its lock file is free then (the JVM that held it is gone): stop that server. A held lock is a live hub.
     */
    private static void stopOrphanedServer(Path directory) throws IOException {
        if (!Files.exists(directory.resolve("postgresql.conf"))) {
            return; // no cluster yet: initdb wants the folder empty
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another process runs the embedded PostgreSQL in " + directory
                        + " (a hub still running?)");
            }
            Optional<ProcessHandle> orphan = postmaster(directory);
            if (orphan.isEmpty()) {
                return;
            }
            orphan.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients died with their JVM
            Instant deadline = Instant.now().plusSeconds(30);
            while (orphan.get().isAlive() && Instant.now().isBefore(deadline)) {
                sleep(100);
            }
            if (orphan.get().isAlive()) {
                throw new IllegalStateException("a PostgreSQL left running in " + directory + " (pid "
                        + orphan.get().pid() + ") did not stop");
            }
        }
    }

    /** The live server process named in the folder's postmaster.pid, if any. */
    private static Optional<ProcessHandle> postmaster(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    private static String version(EmbeddedPostgres server) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_setting('server_version')")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the embedded PostgreSQL does not answer", e);
        }
    }

    /** The JDBC URL of {@code database} on this server (no user: each connection names its own). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
    }

    public String version() {
        return version;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a PostgreSQL to stop", e);
        }
    }
}
