import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.unusd.spokesim.OrganisationGenerator;
import dev.unusd.spokesim.OrganisationSpec;
import dev.unusd.spokesim.Scenario;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scan benchmark at organisation scale (issue 7), driven by bench/scan-bench.sh: one simulated organisation
 * (spoke-sim's runnable jar), then for each usage mode a fresh database and a fresh hub process, a tenant, every
 * account registered and its spoke role deployed, a full scan and a rescan of the unchanged organisation. It prints
 * wall times against the quota bound computed from the scenario, the calls the simulator counted, and the hub
 * process's CPU seconds and peak RSS. Everything it starts it stops, on failure too.
 */
public final class ScanBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROLE = "UnusdSpokeRole";
    private static final List<String> RATE_LIMITED = List.of("GetKeyLastUsage", "LookupEvents");
    /** The hub's JVM options as the Dockerfile runs it (its heap is --xmx here): the JVM's own JIT defaults. */
    private static final String HUB_JAVA_OPTIONS = "";
    /**
     * The simulator stands in for AWS, whose servers do not share the hub's cores: the JVM's defaults, whose C2 code
     * answers a call for about two thirds of the CPU of C1-only code, leaving more of the machine to the hub.
     */
    private static final String SIM_JAVA_OPTIONS = "";
    /** The hub and the simulator run on the driver's own java (Java 25 or later: scan-bench.sh uses JAVA_HOME's). */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> OPERATIONS = List.of("AssumeRole", "ListKeys", "ListAliases", "DescribeKey",
            "ListResourceTags", "GetKeyRotationStatus", "ListKeyRotations", "GetKeyPolicy", "ListGrants", "GetKeyLastUsage",
            "LookupEvents");

    record Options(int accounts, int regions, int keys, long seed, long latencyMs, String xmx, List<String> hubJavaOptions,
            List<String> simJavaOptions, boolean cloudTrailAssist, boolean gapSweep, Integer workerThreads, List<String> modes,
            Path hubJar, Path simJar, Path workDir, Path markdown, String command, String profile,
            int warmUpScans, String floor, int floorPasses, Path floorClasspath) {

        /** The worker threads as the report names them: the hub's default unless an option set them. */
        String workerThreadsText() {
            return workerThreads == null ? "the hub's default scan worker threads" : workerThreads + " scan worker threads";
        }
    }

    /** What one enabled account-region needs, from the scenario: calls of each rate-limited operation. */
    record RegionNeeds(String accountId, String region, int keys, int customerKeys, int lastUsageCalls,
            int gapSearches) {
    }

    record ScanFigures(String scanId, String status, Duration wall, Duration clientWall, long keys, int targetsOk,
            int targetsSkipped, int targetsFailed, List<String> failures, JsonNode counters, double cpuSeconds,
            HubCpu hubCpu, double simCpuSeconds, double postgresCpuSeconds, Connections connections,
            Analyses analyses) {

        int targets() {
            return targetsOk + targetsSkipped + targetsFailed;
        }

        long calls(String operation) {
            return counters.path("byOperation").path(operation).path("calls").asLong(0);
        }

        long throttled(String operation) {
            return counters.path("byOperation").path(operation).path("throttled").asLong(0);
        }

        long rateLimitedCalls() {
            return RATE_LIMITED.stream().mapToLong(this::calls).sum();
        }
    }

    record ModeResult(String mode, Bound bound, ScanFigures first, ScanFigures rescan, double cpuTotalSeconds,
            long peakRssKb, Duration startup, String poolSize) {
    }

    /** The hub's runs of ANALYZE for new account-regions (hub.scan.statistics.analyses), and their time. */
    record Analyses(long runs, double seconds) {

        Analyses minus(Analyses before) {
            return new Analyses(runs - before.runs, seconds - before.seconds);
        }
    }

    /**
     * The hub's PostgreSQL connections during a scan, sampled from pg_stat_activity every 0.5 s: the most open at once
     * (its Hikari pool and db-scheduler's, idle or not) and the most of those running a statement or in a transaction.
     */
    record Connections(int peakOpen, int peakBusy, int samples) {
    }

    /** The quota bound: the slowest account-region, and how its time is made of its operations. */
    record Bound(double seconds, RegionNeeds region, double lastUsageSeconds, double lookupSeconds,
            long lastUsageCalls, long lookupCalls) {
    }

    private final Options options;
    /** Who kept the bench database's statistics, for the report. */
    private String statistics = "?";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Process> processes = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private final Path stateFile;
    private final long clockTicks;
    private URI sim;
    private Process simProcess;
    private Map<String, Double> quotas = Map.of();
    private String hubAccountId = "111111111111";

    private ScanBench(Options options) throws IOException, InterruptedException {
        this.options = options;
        this.stateFile = options.workDir().resolve("started");
        Files.createDirectories(options.workDir());
        Files.writeString(stateFile, "");
        this.clockTicks = Long.parseLong(run(List.of("getconf", "CLK_TCK")).strip());
    }

    public static void main(String[] args) throws Exception {
        ScanBench bench = new ScanBench(parse(args));
        Thread cleanup = new Thread(bench::stopEverything, "scan-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        int exit = 1;
        try {
            exit = bench.benchmark();
        } finally {
            bench.stopEverything();
        }
        System.exit(exit);
    }

    private int benchmark() throws Exception {
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        say("scan benchmark: %d accounts x %d regions x %d keys (profile %s), seed %d, %d ms added latency, hub -Xmx%s,"
                + " %s; load average %s", options.accounts(), options.regions(), options.keys(), options.profile(),
                options.seed(), options.latencyMs(), options.xmx(), options.workerThreadsText(), loadBefore);
        startSim();
        List<ModeResult> results = new ArrayList<>();
        if (!options.floor().equals("only")) {
            for (String mode : options.modes()) {
                results.add(runMode(mode));
            }
        }
        List<FloorPass> floor = options.floor().equals("false") ? List.of() : runFloor();
        String loadAfter = loadAverage();
        String report = (results.isEmpty() ? "" : report(results, started, loadBefore, loadAfter))
                + (floor.isEmpty() ? "" : floorReport(floor, started, loadBefore, loadAfter));
        System.out.println();
        System.out.println(report);
        if (options.markdown() != null) {
            Files.writeString(options.markdown(), report);
            say("figures written to %s", options.markdown());
        }
        return 0;
    }

    // ---------------------------------------------------------------- the organisation and its quota bound

    /**
     * Needs per enabled account-region, from the same seeded organisation the simulator generated. GetKeyLastUsage:
     * one call per customer-managed key (the engine asks it for every customer key it could describe; AWS-managed keys
     * are never asked). LookupEvents in LAST_USAGE mode: one search per customer key that GetKeyLastUsage cannot
     * answer for the whole window, i.e. no recorded use, created before the region's tracking start, and tracking
     * started inside the window (the gap [windowStart, trackingStart) is unknown). In CLOUDTRAIL_ONLY mode: one search
     * per customer key. A search is one page: no generated key has 50 events in the window (checked against the
     * measured calls).
     */
    private List<RegionNeeds> needs(Instant windowStart) {
        Scenario organisation = OrganisationGenerator.generate(
                OrganisationSpec.parse(generatorSpec()));
        List<RegionNeeds> needs = new ArrayList<>();
        for (Scenario.Account account : organisation.accounts()) {
            account.regions().forEach((name, region) -> {
                if (account.disabledRegions().contains(name)) {
                    return;
                }
                int customer = 0;
                int gap = 0;
                for (Scenario.Key key : region.keys()) {
                    if (key.manager() != Scenario.KeyManager.CUSTOMER) {
                        continue;
                    }
                    customer++;
                    boolean noRecordedUse = key.lastUsage() == null || !key.lastUsage().present();
                    Instant tracking = region.trackingStartDate();
                    if (noRecordedUse && key.createdAt().isBefore(tracking) && tracking.isAfter(windowStart)) {
                        gap++;
                    }
                }
                needs.add(new RegionNeeds(account.id(), name, region.keys().size(), customer, customer, gap));
            });
        }
        return needs;
    }

    /**
     * The bound of one mode: per account-region the seconds its rate-limited calls need at their quotas; the
     * operations have separate quotas and the engine inspects several keys at once (a key waiting for LookupEvents
     * does not hold up GetKeyLastUsage of the others), so a region needs the larger of the two, not their sum. With the
     * CloudTrail assist (LAST_USAGE, on by default) each customer key needs one call from either quota, and a key whose
     * GetKeyLastUsage leaves a gap needs a LookupEvents search in any case: max(keys / (5 + 2), gap keys / 2). The
     * regions of all accounts run at once (enough worker threads), so the scan needs the slowest region.
     */
    private Bound bound(String mode, List<RegionNeeds> needs) {
        double lastUsageQuota = quotas.getOrDefault("GetKeyLastUsage", 5.0);
        double lookupQuota = quotas.getOrDefault("LookupEvents", 2.0);
        Bound worst = null;
        for (RegionNeeds region : needs) {
            Bound bound;
            if (mode.equals("CLOUDTRAIL_ONLY")) {
                bound = new Bound(region.customerKeys() / lookupQuota, region, 0, region.customerKeys() / lookupQuota,
                        0, region.customerKeys());
            } else if (options.cloudTrailAssist()) {
                double seconds = Math.max(region.customerKeys() / (lastUsageQuota + lookupQuota),
                        region.gapSearches() / lookupQuota);
                long lookups = Math.max(region.gapSearches(), Math.round(seconds * lookupQuota));
                long lastUsage = region.customerKeys() - lookups;
                bound = new Bound(seconds, region, lastUsage / lastUsageQuota, lookups / lookupQuota, lastUsage,
                        lookups);
            } else {
                long lastUsage = region.lastUsageCalls();
                long lookups = region.gapSearches();
                bound = new Bound(Math.max(lastUsage / lastUsageQuota, lookups / lookupQuota), region,
                        lastUsage / lastUsageQuota, lookups / lookupQuota, lastUsage, lookups);
            }
            if (worst == null || bound.seconds() > worst.seconds()) {
                worst = bound;
            }
        }
        return worst;
    }

    // ---------------------------------------------------------------- processes

    private String generatorSpec() {
        return "accounts=%d,regions=%d,keys=%d,seed=%d,profile=%s".formatted(options.accounts(), options.regions(),
                options.keys(), options.seed(), options.profile());
    }

    private void startSim() throws Exception {
        int port = freePort();
        String generate = generatorSpec();
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(options.simJavaOptions());
        command.addAll(List.of("-jar", options.simJar().toString(), "--generate", generate, "--port",
                String.valueOf(port), "--latency-ms", String.valueOf(options.latencyMs()), "--quota-scale", "1.0"));
        Process process = start("spoke-sim", command, Map.of());
        simProcess = process;
        sim = URI.create("http://127.0.0.1:" + port);
        waitUntilUp(process, sim.resolve("/_sim/health"), Duration.ofMinutes(5));
        JsonNode summary = get(sim.resolve("/_sim/scenario/summary"), null);
        hubAccountId = summary.path("hubAccountId").asString();
        Map<String, Double> q = new TreeMap<>();
        summary.path("quotas").properties().forEach(e -> q.put(e.getKey(), e.getValue().asDouble()));
        quotas = q;
        say("spoke-sim up on %s: %d keys, hub account %s, quotas GetKeyLastUsage %.0f/s LookupEvents %.0f/s", sim,
                summary.path("keys").asLong(), hubAccountId, quotas.get("GetKeyLastUsage"), quotas.get("LookupEvents"));
    }

    private ModeResult runMode(String mode) throws Exception {
        String database = "unusd_bench_" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "_" + mode.toLowerCase(Locale.ROOT);
        psql("CREATE DATABASE " + database);
        databases.add(database);
        record(database);
        int port = freePort();
        String adminToken = "bench-" + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("HUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("HUB_DB_ADMIN_USER", "postgres");
        env.put("HUB_ADMIN_TOKEN", adminToken);
        env.put("HUB_PRINCIPAL", hubAccountId);
        env.put("HUB_PUBLIC_URL", "http://127.0.0.1:" + port);
        if (options.workerThreads() != null) {
            env.put("HUB_SCAN_WORKER_THREADS", String.valueOf(options.workerThreads()));
        }
        env.put("HUB_SCAN_USAGE_MODE", mode);
        env.put("HUB_KMS_CLOUDTRAIL_ASSIST", String.valueOf(options.cloudTrailAssist()));
        env.put("HUB_KMS_GAP_SWEEP", String.valueOf(options.gapSweep()));
        env.put("AWS_ENDPOINT_URL", sim.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIABENCHHUB00000001");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx" + options.xmx()));
        command.addAll(options.hubJavaOptions());
        command.addAll(List.of("-jar", options.hubJar().toString(), "--hub.scan.usage-mode=" + mode));
        Autovacuum autovacuum = Autovacuum.start(mode, database);
        statistics = autovacuum.describe();
        Process hub = start("hub-" + mode.toLowerCase(Locale.ROOT), command, env);
        URI api = URI.create("http://127.0.0.1:" + port);
        waitUntilUp(hub, api.resolve("/actuator/health"), Duration.ofMinutes(5));
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        say("[%s] hub pid %d up on %s in %.1f s (database %s)", mode, hub.pid(), api, startup.toMillis() / 1000.0,
                database);

        if (options.warmUpScans() > 0) {
            // A hub that has run for a while has its hot code compiled: another tenant scans the same organisation
            // first, and keeps its data, as another customer's would be.
            String warmUpKey = register(mode, api, adminToken, "bench-warm-up-" + mode);
            for (int i = 1; i <= options.warmUpScans(); i++) {
                scan(mode, "warm-up scan " + i + " (another tenant)", api, warmUpKey, hub, database);
            }
        }
        String apiKey = register(mode, api, adminToken, "bench-" + mode);
        int unusedDays = get(api.resolve("/api/v1/settings"), apiKey).path("unusedDays").asInt();

        List<RegionNeeds> needs = needs(Instant.now().minus(Duration.ofDays(unusedDays)));
        Bound bound = bound(mode, needs);
        ScanFigures first = scan(mode, "first scan", api, apiKey, hub, database);
        ScanFigures rescan = scan(mode, "rescan", api, apiKey, hub, database);
        String poolSize = poolSize(api);
        checkNeeds(mode, needs, first);
        double cpuTotal = cpuSeconds(hub);
        long peakRss = peakRssKb(hub);
        if (options.hubJavaOptions().stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
            nativeMemory(mode, hub);
        }
        stop(hub);
        autovacuum.stop();
        psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        databases.remove(database);
        return new ModeResult(mode, bound, first, rescan, cpuTotal, peakRss, startup, poolSize);
    }

    /** A new tenant with every account of the organisation registered and its spoke roles deployed: its API key. */
    private String register(String mode, URI api, String adminToken, String tenant) throws Exception {
        String apiKey = post(api.resolve("/api/v1/tenants"), adminToken, Map.of("name", tenant))
                .path("apiKey").asString();
        JsonNode summary = get(sim.resolve("/_sim/scenario/summary"), null);
        List<String> regions = regions(summary);
        for (JsonNode account : summary.path("accounts")) {
            String id = account.path("id").asString();
            JsonNode registered = post(api.resolve("/api/v1/accounts"), apiKey, Map.of("awsAccountId", id,
                    "name", account.path("name").asString(), "regions", regions, "roleName", ROLE));
            deployRole(id, registered.path("externalId").asString());
        }
        say("[%s] tenant %s created, %d accounts registered (regions %s), spoke roles deployed with the hub's ExternalIds",
                mode, tenant, summary.path("accounts").size(), regions);
        return apiKey;
    }

    /** Every region of the organisation, in the order the scenario names them first. */
    private static List<String> regions(JsonNode summary) {
        List<String> regions = new ArrayList<>();
        summary.path("accounts").forEach(account -> account.path("regions").properties().forEach(e -> {
            if (!regions.contains(e.getKey())) {
                regions.add(e.getKey());
            }
        }));
        return regions;
    }

    /** The account's spoke role in the simulator, trusting the hub's principal with this ExternalId. */
    private void deployRole(String awsAccountId, String externalId) throws Exception {
        send(HttpRequest.newBuilder(sim.resolve("/_sim/accounts/" + awsAccountId + "/roles/" + ROLE))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("externalId", externalId))))
                .build(), 204);
    }

    private ScanFigures scan(String mode, String label, URI api, String apiKey, Process hub, String database)
            throws Exception {
        send(HttpRequest.newBuilder(sim.resolve("/_sim/counters/reset")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), 204);
        double cpuBefore = cpuSeconds(hub);
        HubCpu hubCpuBefore = HubCpu.of(hub, clockTicks);
        double simCpuBefore = cpuSeconds(simProcess);
        double postgresCpuBefore = postgresCpuSeconds();
        Analyses analysesBefore = analyses(api);
        ConnectionSampler sampler = new ConnectionSampler(database);
        long t0 = System.nanoTime();
        JsonNode created = post(api.resolve("/api/v1/scans"), apiKey, Map.of());
        String id = created.path("id").asString();
        long lastNote = System.nanoTime();
        // The scan's state is read from the database, not asked of the hub: its answer lists every target, and at
        // 4,250 targets rendering it once a second was 6 % of the hub's CPU (a profile) and a 40 ms join in
        // PostgreSQL, work the figures would have counted. The wall time is the server's createdAt to finishedAt.
        try (Psql watch = new Psql(database)) {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(250);
                String status = watch.ask("select status from scans where id = '" + id + "'");
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    break;
                }
                if (!hub.isAlive()) {
                    throw new IllegalStateException("the hub exited during the scan; see its log");
                }
                if (System.nanoTime() - lastNote > TimeUnit.SECONDS.toNanos(30)) {
                    lastNote = System.nanoTime();
                    say("[%s] %s running: %s targets done after %.0f s", mode, label, watch.ask("select count(*)"
                            + " filter (where status not in ('QUEUED', 'RUNNING')) || ' of ' || count(*)"
                            + " from scan_targets where scan_id = '" + id + "'"), (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        Duration clientWall = Duration.ofNanos(System.nanoTime() - t0);
        Connections connections = sampler.stop();
        double cpu = cpuSeconds(hub) - cpuBefore;
        HubCpu hubCpu = HubCpu.of(hub, clockTicks).minus(hubCpuBefore);
        double simCpu = cpuSeconds(simProcess) - simCpuBefore;
        double postgresCpu = postgresCpuSeconds() - postgresCpuBefore;
        Analyses analyses = analyses(api).minus(analysesBefore);
        JsonNode scan = get(api.resolve("/api/v1/scans/" + id), apiKey);
        JsonNode counters = get(sim.resolve("/_sim/counters"), null);
        Duration wall = Duration.between(Instant.parse(scan.path("createdAt").asString()),
                Instant.parse(scan.path("finishedAt").asString()));
        int ok = 0;
        int skipped = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode target : scan.path("targets")) {
            switch (target.path("status").asString()) {
                case "SUCCEEDED" -> ok++;
                case "SKIPPED" -> skipped++;
                default -> {
                    failed++;
                    failures.add(target.path("awsAccountId").asString() + "/" + target.path("region").asString() + ": "
                            + target.path("error").path("code").asString() + " "
                            + target.path("error").path("message").asString());
                }
            }
        }
        ScanFigures figures = new ScanFigures(id, scan.path("status").asString(), wall, clientWall,
                scan.path("counts").path("keys").asLong(), ok, skipped, failed, failures, counters, cpu, hubCpu, simCpu,
                postgresCpu, connections, analyses);
        say("[%s] %s %s: %s in %.1f s, %d keys, targets %d succeeded %d skipped %d failed; GetKeyLastUsage %d,"
                + " LookupEvents %d, throttled %d", mode, label, id, figures.status(), seconds(wall), figures.keys(), ok,
                skipped, failed, figures.calls("GetKeyLastUsage"), figures.calls("LookupEvents"),
                counters.path("totalThrottled").asLong());
        say("[%s] %s: at most %d PostgreSQL connections of the hub open, %d of them busy (%d samples)", mode, label,
                connections.peakOpen(), connections.peakBusy(), connections.samples());
        failures.stream().limit(5).forEach(f -> say("    failed target %s", f));
        return figures;
    }

    // ---------------------------------------------------------------- the SDK floor (--floor)

    /** One pass of SdkFloor: its wall time and CPU, the simulator's CPU and counters over the same span. */
    record FloorPass(int pass, double wallSeconds, double cpuSeconds, HubCpu cpuSplit, int targetsOk,
            int targetsSkipped, long keys, double simCpuSeconds, JsonNode counters) {
    }

    /**
     * The scan's AWS calls and nothing else (SdkFloor): a process of its own on the hub's libraries and JVM options,
     * started cold like the hub, against the same simulator; --floor-passes passes (2), the later ones warm. Its roles
     * take a floor ExternalId, so it runs after the modes.
     */
    private List<FloorPass> runFloor() throws Exception {
        String externalId = "sdk-floor-" + UUID.randomUUID();
        JsonNode summary = get(sim.resolve("/_sim/scenario/summary"), null);
        List<String> regions = regions(summary);
        StringBuilder targets = new StringBuilder();
        for (JsonNode account : summary.path("accounts")) {
            String id = account.path("id").asString();
            deployRole(id, externalId);
            regions.forEach(region -> targets.append(id).append(' ').append(region).append('\n'));
        }
        Path targetsFile = options.workDir().resolve("floor-targets.txt");
        Files.writeString(targetsFile, targets);
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx" + options.xmx()));
        command.addAll(options.hubJavaOptions());
        command.addAll(List.of("-cp", options.floorClasspath().toString(), "SdkFloor", "--targets",
                targetsFile.toString(), "--role", ROLE, "--external-id", externalId,
                "--last-usage-quota", String.valueOf(quotas.getOrDefault("GetKeyLastUsage", 5.0)),
                "--lookup-quota", String.valueOf(quotas.getOrDefault("LookupEvents", 2.0)),
                "--passes", String.valueOf(options.floorPasses())));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(options.workDir().resolve("sdk-floor.log").toFile());
        builder.environment().putAll(Map.of("AWS_ENDPOINT_URL", sim.toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "AKIABENCHHUB00000001", "AWS_SECRET_ACCESS_KEY", "bench-secret"));
        Process floor = builder.start();
        processes.add(floor);
        record("pid " + floor.pid() + " sdk-floor");
        say("started the SDK floor (pid %d): %d targets, log %s", floor.pid(), targets.toString().lines().count(),
                options.workDir().resolve("sdk-floor.log"));
        List<FloorPass> passes = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(floor.getInputStream()));
                PrintWriter in = new PrintWriter(floor.getOutputStream(), true)) {
            String line;
            while ((line = out.readLine()) != null && line.startsWith("READY ")) {
                send(HttpRequest.newBuilder(sim.resolve("/_sim/counters/reset"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), 204);
                double simCpuBefore = cpuSeconds(simProcess);
                double cpuBefore = cpuSeconds(floor);
                HubCpu splitBefore = HubCpu.of(floor, clockTicks);
                in.println("go");
                String done = out.readLine();
                if (done == null || !done.startsWith("PASS ")) {
                    throw new IllegalStateException("the SDK floor stopped (" + done + "); see its log");
                }
                String[] f = done.split(" ");
                FloorPass pass = new FloorPass(Integer.parseInt(f[1]), Long.parseLong(f[2]) / 1000.0,
                        cpuSeconds(floor) - cpuBefore, HubCpu.of(floor, clockTicks).minus(splitBefore),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]),
                        cpuSeconds(simProcess) - simCpuBefore, get(sim.resolve("/_sim/counters"), null));
                say("SDK floor pass %d: %.1f s, %d targets (%d skipped), %d keys, CPU %.1f s (JIT %.1f s),"
                        + " simulator CPU %.1f s, throttled answers %d", pass.pass(), pass.wallSeconds(),
                        targetCount(pass), pass.targetsSkipped(), pass.keys(), pass.cpuSeconds(), pass.cpuSplit().jit(),
                        pass.simCpuSeconds(), pass.counters().path("totalThrottled").asLong());
                passes.add(pass);
            }
        } finally {
            stop(floor);
        }
        if (passes.size() < options.floorPasses()) {
            throw new IllegalStateException("the SDK floor stopped after " + passes.size() + " of "
                    + options.floorPasses() + " passes; see " + options.workDir().resolve("sdk-floor.log"));
        }
        return passes;
    }

    private String floorReport(List<FloorPass> passes, Instant started, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder("\n### SDK floor: the scan's AWS calls and nothing else\n\n");
        out.append("- command: `").append(options.command()).append("`, ").append(DateTimeFormatter.ISO_INSTANT
                .format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).append(", ").append(machine())
                .append(", load average before ").append(loadBefore).append(", after ").append(loadAfter).append('\n');
        out.append("- bench/src/SdkFloor.java on the hub's libraries, `-Xmx").append(options.xmx())
                .append("`, started cold; each further pass repeats the first, its code compiled by then\n\n");
        out.append("| figure |");
        passes.forEach(p -> out.append(" pass ").append(p.pass()).append(" |"));
        out.append("\n|---|");
        passes.forEach(p -> out.append("---:|"));
        out.append('\n');
        Map<String, Function<FloorPass, String>> rows = new LinkedHashMap<>();
        rows.put("wall time", p -> "%.1f s".formatted(p.wallSeconds()));
        rows.put("targets (skipped: region not enabled)", p -> targetCount(p) + " (" + p.targetsSkipped() + ")");
        rows.put("keys", p -> String.valueOf(p.keys()));
        for (String operation : OPERATIONS) {
            rows.put(operation + " calls", p -> String.valueOf(p.counters().path("byOperation").path(operation)
                    .path("calls").asLong(0)));
        }
        rows.put("throttles answered (all operations)", p -> String.valueOf(p.counters().path("totalThrottled")
                .asLong()));
        rows.put("client CPU per target", p -> "%.2f ms".formatted(1000 * p.cpuSeconds() / targetCount(p)));
        rows.put("of it JIT compilers / garbage collector / the rest", p -> "%.2f / %.2f / %.2f ms".formatted(
                1000 * p.cpuSplit().jit() / targetCount(p), 1000 * p.cpuSplit().gc() / targetCount(p),
                1000 * (p.cpuSeconds() - p.cpuSplit().jit() - p.cpuSplit().gc()) / targetCount(p)));
        rows.put("simulator CPU per target", p -> "%.2f ms".formatted(1000 * p.simCpuSeconds() / targetCount(p)));
        rows.forEach((label, value) -> {
            out.append("| ").append(label).append(" |");
            passes.forEach(p -> out.append(' ').append(value.apply(p)).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    private static int targetCount(FloorPass pass) {
        return pass.targetsOk() + pass.targetsSkipped();
    }

    /**
     * Compares the usage calls the scenario needs with what the first scan made, per account-region: one per customer
     * key (from either quota with the CloudTrail assist) plus, at most, one search per gap key. With the gap sweep a
     * region's gap keys take at least one LookupEvents call, and at most one each plus the sweep's pages (as many as
     * the region has gap keys, or a tenth of its keys if more: the sweep's budget, which the hub estimates as it goes).
     */
    private void checkNeeds(String mode, List<RegionNeeds> needs, ScanFigures first) {
        boolean cloudTrailOnly = mode.equals("CLOUDTRAIL_ONLY");
        boolean assisted = !cloudTrailOnly && options.cloudTrailAssist();
        boolean swept = !cloudTrailOnly && options.gapSweep();
        long least = 0;
        long most = 0;
        int regionsOff = 0;
        // Indexed once: looking each of 17,000 account-regions up in the counters' list took minutes.
        Map<String, Long> calls = new HashMap<>();
        for (JsonNode entry : first.counters().path("entries")) {
            calls.merge(entry.path("accountId").asString() + "/" + entry.path("region").asString() + "/"
                    + entry.path("operation").asString(), entry.path("calls").asLong(), Long::sum);
        }
        for (RegionNeeds region : needs) {
            String target = region.accountId() + "/" + region.region() + "/";
            long lastUsage = calls.getOrDefault(target + "GetKeyLastUsage", 0L);
            long lookups = calls.getOrDefault(target + "LookupEvents", 0L);
            int gap = region.gapSearches();
            long gapLeast = cloudTrailOnly || assisted ? 0 : swept ? Math.min(1, gap) : gap;
            long sweepMost = Math.max(gap, Math.max(1, region.keys() / 10));
            long gapMost = cloudTrailOnly ? 0 : gap + (swept && gap > 0 ? sweepMost : 0);
            long regionLeast = region.customerKeys() + gapLeast;
            long regionMost = region.customerKeys() + gapMost;
            least += regionLeast;
            most += regionMost;
            boolean sourcesRight = cloudTrailOnly ? lastUsage == 0
                    : swept ? lookups >= Math.min(1, gap) && lookups <= regionMost - lastUsage
                    : assisted ? lookups >= gap : lookups == gap;
            if (lastUsage + lookups < regionLeast || lastUsage + lookups > regionMost || !sourcesRight) {
                regionsOff++;
            }
        }
        say("[%s] usage calls: the scenario needs %d to %d, the first scan made GetKeyLastUsage %d + LookupEvents %d"
                + " (%d account-regions outside; throttled answers count as calls)", mode, least, most,
                first.calls("GetKeyLastUsage"), first.calls("LookupEvents"), regionsOff);
    }

    private Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        Path log = options.workDir().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        record("pid " + process.pid() + " " + name);
        say("started %s (pid %d), log %s", name, process.pid(), log);
        return process;
    }

    private void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        processes.remove(process);
    }

    /** Idempotent: the shutdown hook and the normal path both call it. */
    private synchronized void stopEverything() {
        for (Process process : List.copyOf(processes)) {
            try {
                stop(process);
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        for (String database : List.copyOf(databases)) {
            try {
                psql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                databases.remove(database);
            } catch (Exception e) {
                System.err.println("could not drop database " + database + ": " + e.getMessage());
            }
        }
    }

    private void waitUntilUp(Process process, URI health, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process " + process.pid() + " exited with " + process.exitValue()
                        + " before " + health + " answered; see its log in " + options.workDir());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(health + " did not answer within " + timeout);
    }

    /**
     * The hub's CPU seconds by the kind of JVM thread that spent them, from /proc/<pid>/task/<tid>/stat: the JIT's
     * compiler threads ("C1 CompilerThre", "C2 CompilerThre"), the garbage collector's (G1's, "GC Thread#", the "VM
     * Thread" that runs its pauses). The rest is the hub's own work: the scan, on virtual threads' carriers, and
     * everything else. A compiler thread the JVM stops meanwhile takes its CPU out of this sum, so the JIT's share can
     * read low; the total is read from the process, which keeps it.
     */
    record HubCpu(double jit, double gc) {

        static HubCpu of(Process process, long clockTicks) throws IOException {
            long jit = 0;
            long gc = 0;
            try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException gone) {
                        continue;
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long ticks = cpuTicks(statFields(stat));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit += ticks;
                    } else if (name.startsWith("G1 ") || name.startsWith("GC Thread") || name.equals("VM Thread")) {
                        gc += ticks;
                    }
                }
            }
            return new HubCpu(jit / (double) clockTicks, gc / (double) clockTicks);
        }

        HubCpu minus(HubCpu before) {
            return new HubCpu(jit - before.jit(), gc - before.gc());
        }
    }

    /** utime + stime of the process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
    private double cpuSeconds(Process process) throws IOException {
        return cpuTicks(statFields(Files.readString(Path.of("/proc/" + process.pid() + "/stat")))) / (double) clockTicks;
    }

    /** The fields of a /proc stat line after the command's name (which may hold spaces): the state is [0]. */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** utime + stime, in clock ticks. */
    private static long cpuTicks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU seconds of the machine's PostgreSQL: every postgres process's utime + stime, plus what the server's ended
     * children used (the postmaster's cutime + cstime), so a backend that exits during the scan still counts. The
     * whole server, not only the bench's database: on a machine of its own that is the hub's work. NaN when no
     * postgres process is visible (a server elsewhere).
     */
    private double postgresCpuSeconds() throws IOException {
        long ticks = 0;
        boolean seen = false;
        try (var processes = Files.list(Path.of("/proc"))) {
            Iterable<Path> pids = processes.filter(d -> d.getFileName().toString().matches("\\d+"))::iterator;
            for (Path dir : pids) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                if (!stat.contains("(postgres)")) {
                    continue;
                }
                seen = true;
                String[] fields = statFields(stat);
                ticks += cpuTicks(fields);
                Path parent = Path.of("/proc", fields[1], "stat");
                boolean postmaster = !Files.exists(parent) || !Files.readString(parent).contains("(postgres)");
                if (postmaster) {
                    ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                }
            }
        }
        return seen ? ticks / (double) clockTicks : Double.NaN;
    }

    /** The application name of the driver's own sessions (its watch of the benchmark's database, its sampler). */
    private static final String WATCHER = "scan-bench-watch";

    /** One psql session on a database, asked one single-value query at a time (as the superuser: no RLS). */
    private static final class Psql implements AutoCloseable {
        private final Process psql;
        private final java.io.BufferedReader answers;
        private final java.io.OutputStream questions;

        Psql(String database) throws IOException {
            ProcessBuilder command = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database,
                    "-X", "-q", "-A", "-t").redirectErrorStream(true);
            // Named, so the connection sampler leaves this session out of the hub's.
            command.environment().put("PGAPPNAME", WATCHER);
            psql = command.start();
            answers = new java.io.BufferedReader(new java.io.InputStreamReader(psql.getInputStream()));
            questions = psql.getOutputStream();
        }

        String ask(String query) throws IOException {
            questions.write((query + ";\n").getBytes());
            questions.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IOException("psql ended while asked: " + query);
            }
            return answer.strip();
        }

        @Override
        public void close() {
            psql.destroy();
        }
    }

    /**
     * Samples the bench database's backends every 0.5 s through one psql session (the driver's own connects to the
     * database postgres, so it is not counted): starting a psql per sample would cost the machine more CPU.
     */
    private static final class ConnectionSampler {
        private final Psql psql;
        private final Thread thread;
        private volatile boolean running = true;
        private int peakOpen;
        private int peakBusy;
        private int samples;

        ConnectionSampler(String database) throws IOException {
            psql = new Psql("postgres");
            String query = "select count(*) || ' ' || count(*) filter (where state <> 'idle') from pg_stat_activity"
                    + " where datname = '" + database + "' and backend_type = 'client backend'"
                    + " and application_name <> '" + WATCHER + "'";
            thread = Thread.ofPlatform().daemon().name("pg-connections").start(() -> {
                try {
                    while (running) {
                        String[] counts = psql.ask(query).split(" ");
                        synchronized (this) {
                            peakOpen = Math.max(peakOpen, Integer.parseInt(counts[0]));
                            peakBusy = Math.max(peakBusy, Integer.parseInt(counts[1]));
                            samples++;
                        }
                        TimeUnit.MILLISECONDS.sleep(500);
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    say("connection sampling stopped: %s", e);
                }
            });
        }

        Connections stop() throws InterruptedException {
            running = false;
            thread.join(5000);
            psql.close();
            synchronized (this) {
                return new Connections(peakOpen, peakBusy, samples);
            }
        }
    }

    /**
     * Stands in for autovacuum where the server's is off (as on the CI machine): without it the bench database never
     * has statistics, every plan the hub's connections cache in the first seconds (on empty
     * tables) stays for the whole run, and the figures measure a database no deployment has. Every 60 s (autovacuum's
     * default naptime) ANALYZE of the whole database: the statistics autovacuum would keep (it analyses only the tables
     * past its thresholds); its vacuuming is left out, so dead rows stay until the run ends. Its CPU is PostgreSQL's,
     * counted with the rest.
     */
    private static final class Autovacuum {
        private static final Duration NAPTIME = Duration.ofSeconds(60);
        /** Null when the server's own autovacuum runs. */
        private final Thread thread;
        private volatile boolean running = true;

        private Autovacuum() {
            thread = null;
        }

        private Autovacuum(String mode, String database) {
            thread = Thread.ofPlatform().daemon().name("autovacuum").start(() -> {
                int runs = 0;
                long took = 0;
                try {
                    while (running) {
                        TimeUnit.MILLISECONDS.sleep(NAPTIME.toMillis());
                        long t0 = System.nanoTime();
                        // Named like the watcher's session, so the connection sampler leaves it out of the hub's.
                        run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d",
                                "dbname=" + database + " application_name=" + WATCHER, "-q", "-c",
                                "ANALYZE"));
                        took += System.nanoTime() - t0;
                        runs++;
                    }
                } catch (InterruptedException e) {
                    // stopped with the hub
                } catch (IOException | RuntimeException e) {
                    say("[%s] autovacuum stand-in stopped: %s", mode, e);
                }
                say("[%s] autovacuum stand-in: %d runs of ANALYZE, %.1f s in all", mode, runs, took / 1e9);
            });
        }

        /** Runs the stand-in when the server's autovacuum is off; otherwise the server does the work. */
        static Autovacuum start(String mode, String database) throws IOException, InterruptedException {
            String setting = run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc",
                    "show autovacuum")).strip();
            if (setting.equals("on")) {
                return new Autovacuum();
            }
            say("[%s] the server's autovacuum is off: the benchmark runs ANALYZE on %s every %d s, as autovacuum"
                    + " would", mode, database, NAPTIME.toSeconds());
            return new Autovacuum(mode, database);
        }

        String describe() {
            return thread == null ? "the server's autovacuum"
                    : "the server's autovacuum is off, so the benchmark ran ANALYZE of its database every "
                            + NAPTIME.toSeconds() + " s";
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread == null) {
                return;
            }
            thread.interrupt();
            thread.join(60_000);
        }
    }

    /** The hub's Hikari maximum, as it reports it (hikaricp_connections_max), or "?" if it does not. */
    private String poolSize(URI api) {
        try {
            return metricLines(api).stream().filter(l -> l.startsWith("hikaricp_connections_max{"))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1).replaceAll("\\.0$", "")).findFirst().orElse("?");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /** The hub's metrics in Prometheus' text format, line by line. */
    private List<String> metricLines(URI api) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(api.resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    }

    /** The hub's ANALYZE runs so far, from its Prometheus timer; none where it reports none. */
    private Analyses analyses(URI api) throws IOException, InterruptedException {
        long runs = 0;
        double seconds = 0;
        for (String line : metricLines(api)) {
            String value = line.substring(line.lastIndexOf(' ') + 1);
            if (line.startsWith("hub_scan_statistics_analyses_seconds_count")) {
                runs = (long) Double.parseDouble(value);
            } else if (line.startsWith("hub_scan_statistics_analyses_seconds_sum")) {
                seconds = Double.parseDouble(value);
            }
        }
        return new Analyses(runs, seconds);
    }

    /** With {@code --hub-java-options -XX:NativeMemoryTracking=summary}: where the hub's memory is, by JVM area. */
    private void nativeMemory(String mode, Process hub) throws IOException, InterruptedException {
        Path file = options.workDir().resolve("hub-" + mode.toLowerCase(Locale.ROOT) + "-native-memory.txt");
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(hub.pid()), "VM.native_memory", "summary")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        jcmd.waitFor();
        say("[%s] native memory of the hub (committed, KB), full summary in %s:", mode, file);
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Total:") || trimmed.matches("-\\s+[A-Za-z ]+ \\(reserved=.*")) {
                say("  %s", trimmed);
            }
        }
    }

    /** VmHWM: the peak resident set size of the process, in kB. */
    private static long peakRssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM for " + process.pid());
    }

    // ---------------------------------------------------------------- HTTP, psql, misc

    private JsonNode get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return JSON.readTree(send(request.build(), 200));
    }

    private JsonNode post(URI uri, String token, Object body) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), 200, 201, 202));
    }

    private String send(HttpRequest request, int... expected) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // Registering a thousand accounts meets the API's rate limit per key: wait as it says and try again.
        for (int tries = 0; response.statusCode() == 429 && tries < 60; tries++) {
            TimeUnit.SECONDS.sleep(Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                + ": " + response.body());
    }

    private static void psql(String sql) throws IOException, InterruptedException {
        run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
                sql));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private void record(String line) throws IOException {
        Files.writeString(stateFile, line + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String machine() {
        try {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
            long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
            return "%d CPUs (%s), %.1f GB RAM, Java %s".formatted(Runtime.getRuntime().availableProcessors(), model,
                    memKb / 1024.0 / 1024.0, System.getProperty("java.version"));
        } catch (IOException e) {
            return "?";
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void say(String format, Object... args) {
        System.out.printf("%tT  %s%n", java.time.LocalTime.now(), format.formatted(args));
    }

    // ---------------------------------------------------------------- report

    private String report(List<ModeResult> results, Instant started, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(options.accounts()).append(" accounts x ").append(options.regions())
                .append(" regions x ").append(options.keys()).append(" keys, profile ").append(options.profile())
                .append("\n\n");
        out.append("- command: `").append(options.command()).append("`\n");
        out.append("- date: ").append(DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(", machine: ").append(machine()).append('\n');
        out.append("- load average (1/5/15 min) before: ").append(loadBefore).append(", after: ").append(loadAfter)
                .append('\n');
        out.append("- hub: `-Xmx").append(options.xmx()).append(options.hubJavaOptions().isEmpty() ? "" : " "
                + String.join(" ", options.hubJavaOptions())).append("`, ").append(options.workerThreadsText())
                .append(", CloudTrail assist ").append(options.cloudTrailAssist() ? "on" : "off")
                .append(", gap sweep ").append(options.gapSweep() ? "on" : "off")
                .append("; spoke-sim: `").append(String.join(" ", options.simJavaOptions()))
                .append("`, AWS default quotas, ").append(options.latencyMs())
                .append(" ms added latency, seed ").append(options.seed()).append('\n');
        out.append("- PostgreSQL statistics: ").append(statistics).append('\n');
        out.append(options.warmUpScans() > 0 ? "- warm hub: another tenant scanned the same organisation on this hub "
                + (options.warmUpScans() == 1 ? "once" : options.warmUpScans() + " times") + " first (its"
                + " code compiled by the JIT); the figures are the measured tenant's first scan and rescan\n\n"
                : "- cold hub: the first scan is the first work of a freshly started hub (the JIT compiles during it)\n\n");

        out.append("| figure |");
        results.forEach(r -> out.append(' ').append(r.mode()).append(" first scan | ").append(r.mode()).append(" rescan |"));
        out.append("\n|---|");
        results.forEach(r -> out.append("---:|---:|"));
        out.append('\n');
        row(out, results, "scan status", f -> f.status() + " (" + f.targetsOk() + " ok, " + f.targetsSkipped()
                + " skipped, " + f.targetsFailed() + " failed)");
        row(out, results, "wall time (createdAt to finishedAt)", f -> "%.1f s".formatted(seconds(f.wall())));
        out.append("| quota bound (slowest account-region) |");
        results.forEach(r -> out.append(" %.1f s |  |".formatted(r.bound().seconds())));
        out.append("\n| wall / bound |");
        results.forEach(r -> out.append(" **%.2f** | %.2f |".formatted(seconds(r.first().wall()) / r.bound().seconds(),
                seconds(r.rescan().wall()) / r.bound().seconds())));
        out.append('\n');
        row(out, results, "keys scanned", f -> String.valueOf(f.keys()));
        row(out, results, "keys persisted per second", f -> "%.1f".formatted(f.keys() / seconds(f.wall())));
        for (String operation : OPERATIONS) {
            row(out, results, operation + " calls (per key)", f -> "%d (%.3f)".formatted(f.calls(operation),
                    f.calls(operation) / (double) Math.max(1, f.keys())));
        }
        row(out, results, "throttles answered (all operations)", f -> String.valueOf(
                f.counters().path("totalThrottled").asLong()));
        row(out, results, "rate-limited calls (GetKeyLastUsage + LookupEvents)", f -> String.valueOf(f.rateLimitedCalls()));
        out.append("| rescan rate-limited calls / first scan's |");
        results.forEach(r -> out.append("  | **%.2f%%** |".formatted(100.0 * r.rescan().rateLimitedCalls()
                / Math.max(1, r.first().rateLimitedCalls()))));
        out.append('\n');
        row(out, results, "hub CPU seconds during the scan", f -> "%.1f s".formatted(f.cpuSeconds()));
        row(out, results, "hub CPU per target (targets)", f -> "%.2f ms (%d)".formatted(
                1000 * f.cpuSeconds() / Math.max(1, f.targets()), f.targets()));
        row(out, results, "hub CPU per key", f -> "%.2f ms".formatted(1000 * f.cpuSeconds() / Math.max(1, f.keys())));
        row(out, results, "of the hub's CPU per target: JIT compilers / garbage collector / the rest", f ->
                "%.2f / %.2f / %.2f ms".formatted(1000 * f.hubCpu().jit() / Math.max(1, f.targets()),
                        1000 * f.hubCpu().gc() / Math.max(1, f.targets()),
                        1000 * (f.cpuSeconds() - f.hubCpu().jit() - f.hubCpu().gc()) / Math.max(1, f.targets())));
        row(out, results, "simulator CPU per target (it shares the machine)", f -> "%.2f ms".formatted(
                1000 * f.simCpuSeconds() / Math.max(1, f.targets())));
        row(out, results, "PostgreSQL CPU per target (the whole server; it shares the machine)", f -> Double.isNaN(
                f.postgresCpuSeconds()) ? "not visible" : "%.2f ms".formatted(1000 * f.postgresCpuSeconds()
                / Math.max(1, f.targets())));
        row(out, results, "machine CPU busy during the scan: hub + simulator + PostgreSQL / (wall x cores)", f ->
                Double.isNaN(f.postgresCpuSeconds()) ? "not visible" : "%.0f%%".formatted(100 * (f.cpuSeconds()
                + f.simCpuSeconds() + f.postgresCpuSeconds()) / (seconds(f.clientWall())
                * Runtime.getRuntime().availableProcessors())));
        out.append("| hub's PostgreSQL connections, most at once: open / busy (its pool's maximum) |");
        results.forEach(r -> {
            for (ScanFigures f : List.of(r.first(), r.rescan())) {
                out.append(" %d / %d (%s) |".formatted(f.connections().peakOpen(), f.connections().peakBusy(),
                        r.poolSize()));
            }
        });
        out.append('\n');
        out.append("| the hub's ANALYZE of the scan tables for new accounts: runs (their time) |");
        results.forEach(r -> {
            for (ScanFigures f : List.of(r.first(), r.rescan())) {
                out.append(" %d (%.1f s) |".formatted(f.analyses().runs(), f.analyses().seconds()));
            }
        });
        out.append('\n');
        out.append("| hub CPU seconds, whole process (start-up included) |");
        results.forEach(r -> out.append(" %.1f s (start-up %.1f s wall) |  |".formatted(r.cpuTotalSeconds(),
                seconds(r.startup()))));
        out.append("\n| hub peak RSS (VmHWM, whole process) |");
        results.forEach(r -> out.append(" **%d MB** |  |".formatted(r.peakRssKb() / 1024)));
        out.append("\n\n");

        out.append("Quota bound: per account-region, GetKeyLastUsage calls needed / its quota and LookupEvents searches"
                + " needed / its quota; the larger of the two (separate quotas, overlapping), then the slowest"
                + " account-region." + (options.cloudTrailAssist() ? " With the CloudTrail assist (LAST_USAGE), each"
                + " customer key needs one call from either quota: keys / (5 + 2) seconds, or gap searches / 2 if"
                + " more; the split shown is one that reaches it." : "") + (options.gapSweep() ? " The gap searches"
                + " counted are one per key that needs the gap: the gap sweep may answer them with fewer"
                + " calls." : "") + "\n\n");
        for (ModeResult r : results) {
            Bound b = r.bound();
            out.append("- ").append(r.mode()).append(": slowest account-region ").append(b.region().accountId())
                    .append('/').append(b.region().region()).append(": ").append(b.region().keys()).append(" keys, ")
                    .append(b.region().customerKeys()).append(" customer-managed; GetKeyLastUsage ")
                    .append(b.lastUsageCalls()).append(" / %.0f/s = %.1f s".formatted(quotas.get("GetKeyLastUsage"),
                            b.lastUsageSeconds())).append(", LookupEvents ").append(b.lookupCalls())
                    .append(" / %.0f/s = %.1f s".formatted(quotas.get("LookupEvents"), b.lookupSeconds()))
                    .append(" -> %.1f s".formatted(b.seconds())).append('\n');
        }
        if (results.size() == 2) {
            ModeResult a = results.get(0);
            ModeResult b = results.get(1);
            out.append("\nFirst-scan wall time ").append(b.mode()).append(" / ").append(a.mode())
                    .append(": **%.2f**\n".formatted(seconds(b.first().wall()) / seconds(a.first().wall())));
        }
        List<String> failures = new ArrayList<>();
        results.forEach(r -> List.of(r.first(), r.rescan()).forEach(f -> f.failures().forEach(x ->
                failures.add(r.mode() + " " + x))));
        if (!failures.isEmpty()) {
            out.append("\nFailed targets:\n");
            failures.stream().limit(20).forEach(f -> out.append("- ").append(f).append('\n'));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<ModeResult> results, String label,
            java.util.function.Function<ScanFigures, String> value) {
        out.append("| ").append(label).append(" |");
        results.forEach(r -> out.append(' ').append(value.apply(r.first())).append(" | ")
                .append(value.apply(r.rescan())).append(" |"));
        out.append('\n');
    }

    // ---------------------------------------------------------------- options

    /** --warm-up: true for one scan, false for none, or how many. */
    private static int warmUpScans(String value) {
        return switch (value) {
            case "true" -> 1;
            case "false" -> 0;
            default -> Integer.parseInt(value);
        };
    }

    private static List<String> javaOptions(String line) {
        return List.of(line.split(" ")).stream().filter(o -> !o.isBlank()).toList();
    }

    private static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        int accounts = Integer.parseInt(values.getOrDefault("accounts", "20"));
        int regions = Integer.parseInt(values.getOrDefault("regions", "2"));
        Options options = new Options(accounts, regions,
                Integer.parseInt(values.getOrDefault("keys", "150")),
                Long.parseLong(values.getOrDefault("seed", "42")),
                Long.parseLong(values.getOrDefault("latency-ms", "20")),
                values.getOrDefault("xmx", "512m"),
                javaOptions(values.getOrDefault("hub-java-options", HUB_JAVA_OPTIONS)),
                javaOptions(values.getOrDefault("sim-java-options", SIM_JAVA_OPTIONS)),
                Boolean.parseBoolean(values.getOrDefault("cloudtrail-assist", "true")),
                Boolean.parseBoolean(values.getOrDefault("gap-sweep", "true")),
                values.containsKey("worker-threads") ? Integer.valueOf(values.get("worker-threads")) : null,
                List.of(values.getOrDefault("modes", "LAST_USAGE,CLOUDTRAIL_ONLY").split(",")),
                Path.of(values.get("hub-jar")), Path.of(values.get("sim-jar")), Path.of(values.get("work-dir")),
                values.containsKey("markdown") ? Path.of(values.get("markdown")) : null,
                values.getOrDefault("command", "bench/scan-bench.sh"),
                values.getOrDefault("profile", "uniform"),
                warmUpScans(values.getOrDefault("warm-up", "false")),
                values.getOrDefault("floor", "false"),
                Integer.parseInt(values.getOrDefault("floor-passes", "2")),
                values.containsKey("floor-classpath") ? Path.of(values.get("floor-classpath")) : null);
        if (!List.of("false", "true", "only").contains(options.floor())) {
            throw new IllegalArgumentException("--floor takes false, true or only, not " + options.floor());
        }
        values.keySet().removeAll(List.of("accounts", "regions", "keys", "seed", "latency-ms", "xmx", "hub-java-options",
                "sim-java-options", "cloudtrail-assist", "gap-sweep", "worker-threads",
                "modes", "hub-jar", "sim-jar", "work-dir", "markdown", "command", "profile", "warm-up", "floor",
                "floor-passes", "floor-classpath"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + values.keySet());
        }
        return options;
    }
}
