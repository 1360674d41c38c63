package dev.unusd.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.unusd.hub.HubApplication;
import dev.unusd.hub.fault.CrashPoint;
import tools.jackson.databind.JsonNode;

/**
 * A hub as its own JVM on the test classpath, against a database of the calling test's and the shared simulator: a
 * process a recovery test can halt at a crash point, or kill, and follow with another.
 */
public record ChildHub(String name, Process process, int port, Path log) {

    /** {@code settings} override the defaults: the test's database, fast polling, this hub's scheduler name. */
    public static ChildHub start(String name, String databaseUrl, Map<String, String> settings) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", // starts faster; these hubs run seconds, not days
                "-cp", System.getProperty("java.class.path")));
        TestSpokeSim.systemProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(HubApplication.class.getName());
        Map<String, String> args = new TreeMap<>(TestDatabase.get().properties());
        args.putAll(Map.of("spring.datasource.url", databaseUrl, "server.port", String.valueOf(port),
                "hub.admin-token", HubIntegrationTest.ADMIN_TOKEN, "hub.principal", HubIntegrationTest.HUB_ACCOUNT,
                "hub.public-url", "https://hub.example.test", "db-scheduler.scheduler-name", name,
                "db-scheduler.polling-interval", "250ms"));
        args.putAll(settings);
        args.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = Path.of("target", "child-hub-" + name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildHub hub = new ChildHub(name, process, port, log);
        hub.awaitReady();
        return hub;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(120);
        ApiClient anonymous = new ApiClient(base(), null);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (anonymous.get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // connection refused while starting
            }
            pause();
        }
        throw new AssertionError("hub " + name + " did not start; see " + log.toAbsolutePath());
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A new tenant on this hub, and a client holding its first API key. */
    public HubIntegrationTest.TenantHandle newTenant() {
        JsonNode created = new ApiClient(base(), HubIntegrationTest.ADMIN_TOKEN).post("/api/v1/tenants",
                Map.of("name", "child hub " + name)).json();
        String key = created.get("apiKey").asString();
        return new HubIntegrationTest.TenantHandle(UUID.fromString(created.get("id").asString()), key,
                new ApiClient(base(), key));
    }

    /** The hub halted at its crash point the {@code times}-th time: a hub that never reaches it proves nothing. */
    public void awaitHalt(CrashPoint point, int times) throws InterruptedException, IOException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("hub " + name + " never reached crash point " + point.configName() + "; see "
                    + log.toAbsolutePath());
        }
        assertThat(process.exitValue()).as("exit status of " + name).isEqualTo(137);
        assertThat(Files.readString(log)).as(log.toAbsolutePath().toString())
                .contains("Crash point " + point.configName() + " reached (" + times + " times): halting");
    }

    /** The same tenant's key, on this hub. */
    public ApiClient client(ApiClient onOtherHub) {
        return onOtherHub.at(base());
    }

    /** SIGTERM: a graceful stop, which lets running tasks end and removes them. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("hub " + name + " did not stop; see " + log.toAbsolutePath());
        }
    }

    /** SIGKILL, for hubs still running when the test ends. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
