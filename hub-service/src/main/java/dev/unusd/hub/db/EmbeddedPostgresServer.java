package dev.unusd.hub.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL server the hub runs itself from {@link PostgresBinaries} (packaged in the demo jar and on the test
 * classpath), with its data in a folder of its own. Its superuser is {@code postgres}
 * and it trusts local connections, so the migrations create and grant the application role as on any server.
 * <p>
 * Started and stopped here with pg_ctl rather than through a library that stops it from a JVM shutdown hook of its
 * own: that hook would run beside the hub's and take the database from scan targets still finishing. The server
 * outlives a JVM killed with SIGKILL; the next start over the same folder stops it first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    private static final Duration START_AND_STOP_WAIT = Duration.ofSeconds(60);
    /** Held while a server of this JVM runs over the folder; a live hub holding it is not interfered with. */
    private static final String LOCK_FILE = "unusd.lock";

    private final Path binaries;
    private final Path dataDirectory;
    private final boolean throwaway;
    private final int port;
    private final FileChannel lockChannel;
    private final String version;
    private boolean stopped;

    private EmbeddedPostgresServer(Path binaries, Path dataDirectory, boolean throwaway, int port,
            FileChannel lockChannel) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.throwaway = throwaway;
        this.port = port;
        this.lockChannel = lockChannel;
        this.version = queryVersion();
    }

    /** Whether this build of the hub carries binaries for this platform (the demo jar and the tests do). */
    public static boolean available() {
        return PostgresBinaries.present();
    }

    /** Starts a server over {@code dataDirectory}, creating the cluster the first time and keeping it afterwards. */
    public static EmbeddedPostgresServer startKeeping(Path dataDirectory) {
        return start(dataDirectory, false);
    }

    /** Starts a server over a new cluster in {@code dataDirectory}, deleted when the server stops (tests). */
    public static EmbeddedPostgresServer startThrowaway(Path dataDirectory) {
        return start(dataDirectory, true);
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, boolean throwaway) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Path binaries = PostgresBinaries.installed();
            Files.createDirectories(directory);
            if (!Files.exists(directory.resolve("PG_VERSION"))) {
                try (var entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException(directory + " holds files but no PostgreSQL cluster: "
                                + "empty it or choose another folder (HUB_DB_EMBEDDED_DIR)");
                    }
                }
                run(binaries, "initdb", "-A", "trust", "-U", SUPERUSER, "-E", "UTF-8", "-D", directory.toString());
            }
            channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new IllegalStateException("another process runs the embedded PostgreSQL in " + directory
                        + " (a hub still running?)");
            }
            if (pgCtl(binaries, directory, "status") == 0) {
                // Nobody holds the lock, yet a server runs there: left by a hub that was killed.
                run(binaries, "pg_ctl", "-D", directory.toString(), "stop", "-m", "fast", "-w");
            }
            int port = freePort();
            List<String> options = List.of("-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "timezone=UTC",
                    // Kept data must survive a crash of the machine; a throwaway cluster need not.
                    "-c", "synchronous_commit=" + (throwaway ? "off" : "on"));
            run(binaries, "pg_ctl", "-D", directory.toString(), "-l", directory.resolve("server.log").toString(),
                    "-o", String.join(" ", options), "-w", "-t", String.valueOf(START_AND_STOP_WAIT.toSeconds()),
                    "start");
            try {
                return new EmbeddedPostgresServer(binaries, directory, throwaway, port, channel);
            } catch (RuntimeException e) {
                execute(binaries, "pg_ctl", "-D", directory.toString(), "stop", "-m", "immediate");
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The JDBC URL of {@code database} on this server (no user: each connection names its own). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String version() {
        return version;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast: open sessions are ended) and, for a throwaway cluster, deletes it. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(binaries, "pg_ctl", "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t",
                    String.valueOf(START_AND_STOP_WAIT.toSeconds()));
        } finally {
            closeQuietly(lockChannel);
            if (throwaway) {
                try {
                    FileSystemUtils.deleteRecursively(dataDirectory);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not delete " + dataDirectory, e);
                }
            }
        }
    }

    private String queryVersion() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_setting('server_version')")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the embedded PostgreSQL in " + dataDirectory + " does not answer", e);
        }
    }

    /** Runs a PostgreSQL program to its end; fails with its output if it fails. */
    private static void run(Path binaries, String program, String... arguments) {
        Result result = execute(binaries, program, arguments);
        if (result.exit() != 0) {
            throw new IllegalStateException(program + " failed (exit " + result.exit() + "): " + result.output());
        }
    }

    /** pg_ctl's exit status for a command whose status is the answer (status: 0 running, 3 not). */
    private static int pgCtl(Path binaries, Path directory, String command) {
        return execute(binaries, "pg_ctl", "-D", directory.toString(), command).exit();
    }

    private record Result(int exit, String output) {
    }

    /**
     * PostgreSQL refuses to run as root. As root (containers, CI) its programs run in a user namespace of their own
     * ({@code unshare -U}), where they are not root; elsewhere directly. Output goes to a file: the server pg_ctl
     * starts could otherwise hold a pipe open.
     */
    private static Result execute(Path binaries, String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            output = Files.createTempFile("unusd-" + program + "-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(START_AND_STOP_WAIT.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish: " + Files.readString(output).strip());
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + program + " ran", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
