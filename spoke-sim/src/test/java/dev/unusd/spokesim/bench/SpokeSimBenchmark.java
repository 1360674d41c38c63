package dev.unusd.spokesim.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.unusd.spokesim.OrganisationGenerator;
import dev.unusd.spokesim.OrganisationSpec;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;

/**
 * Loads a generated organisation (100 accounts x 3 regions x 100 keys) and drives the simulator with concurrent
 * clients making the hub's mix of calls, signed with a fake SigV4 header. Prints load time and calls per second.
 * Not a test: run with {@code spoke-sim/bench.sh}.
 */
public final class SpokeSimBenchmark {

    private static final String EXTERNAL_ID = "bench-external-id";
    private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");

    private SpokeSimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int accounts = Integer.parseInt(options.getOrDefault("accounts", "100"));
        int regions = Integer.parseInt(options.getOrDefault("regions", "3"));
        int keys = Integer.parseInt(options.getOrDefault("keys", "100"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));

        System.out.printf("spoke-sim benchmark, %s, %d cores, Java %s%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        Scenario scenario = OrganisationGenerator.generate(new OrganisationSpec(accounts, regions, keys, 42, EXTERNAL_ID));
        long t1 = System.nanoTime();
        SpokeSim sim = SpokeSim.start(scenario);
        long t2 = System.nanoTime();
        long cpu2 = cpuNanos();
        System.out.printf("organisation: %d accounts x %d regions x %d keys = %d keys%n", accounts, regions, keys,
                sim.scenario().keyCount());
        System.out.printf("  generate %5d ms%n", (t1 - t0) / 1_000_000);
        System.out.printf("  load     %5d ms  (defaults, live state, CloudTrail history, server start)%n",
                (t2 - t1) / 1_000_000);
        System.out.printf("  total    %5d ms  (target < 5000 ms); CPU time %d ms%n", (t2 - t0) / 1_000_000,
                (cpu2 - cpu0) / 1_000_000);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        System.out.printf("  heap     %5d MB after load%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20);

        sim.setQuotaScale(1_000_000);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Target> targets = targets(sim, http);

        Driver warmUp = new Driver(sim, targets, threads, Duration.ofSeconds(3));
        warmUp.run();
        sim.resetCounters();
        String loadBefore = loadAverage();
        long cpuBefore = cpuNanos();
        Driver measured = new Driver(sim, targets, threads, Duration.ofSeconds(seconds));
        measured.run();
        long cpuUsed = cpuNanos() - cpuBefore;
        long calls = measured.calls.sum();
        double perSecond = calls * 1e9 / measured.elapsed.toNanos();
        long[] latencies = measured.latencies();
        System.out.printf("load: %d client threads (keep-alive connections) for %d s, mixed KMS reads + LookupEvents,"
                + " quotas scaled up%n", threads, seconds);
        System.out.printf("  machine  load average before %s, after %s%n", loadBefore, loadAverage());
        System.out.printf("  calls    %d (%,.0f calls/s; target >= 2,000)%n", calls, perSecond);
        System.out.printf("  cpu      %.1f s of process CPU (clients and simulator) = %,.0f calls per CPU second%n",
                cpuUsed / 1e9, calls / (cpuUsed / 1e9));
        System.out.printf("  latency  p50 %.1f ms, p99 %.1f ms%n", percentile(latencies, 50), percentile(latencies, 99));
        System.out.printf("  answers  %s%n", new TreeMap<>(measured.statuses()));
        System.out.printf("  by operation (simulator counters) %s%n", sim.counters().byOperation());
        sim.stop();
    }

    /** Every enabled account region with session credentials from AssumeRole, as the hub would hold them. */
    private static List<Target> targets(SpokeSim sim, HttpClient http) throws Exception {
        List<Target> targets = new ArrayList<>();
        for (Scenario.Account account : sim.scenario().accounts()) {
            String body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" + account.id()
                    + "%3Arole%2FUnusdSpokeRole&RoleSessionName=bench&ExternalId=" + EXTERNAL_ID;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(sim.endpoint())
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .header("Authorization", authorization("AKIAHUBBENCH00000001", "us-east-1", "sts"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher key = ACCESS_KEY.matcher(response.body());
            if (!key.find()) {
                throw new IllegalStateException("AssumeRole failed: " + response.body());
            }
            account.regions().forEach((region, r) -> {
                if (!account.disabledRegions().contains(region)) {
                    targets.add(new Target(key.group(1), region,
                            r.keys().stream().map(k -> k.arn(account.id(), region)).toList()));
                }
            });
        }
        return targets;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String authorization(String accessKeyId, String region, String service) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20261128/" + region + "/" + service
                + "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
                + "0".repeat(64);
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p / 100.0))] / 1e6;
    }

    /**
     * One keep-alive HTTP/1.1 connection per client thread, written by hand: java.net.http's machinery costs more CPU
     * than the simulator itself, and client and simulator share this machine's two cores.
     */
    private static final class RawConnection {
        private final String host;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        RawConnection(URI endpoint) {
            this.host = endpoint.getHost() + ":" + endpoint.getPort();
            try {
                socket = new Socket(endpoint.getHost(), endpoint.getPort());
                socket.setTcpNoDelay(true);
                out = new BufferedOutputStream(socket.getOutputStream());
                in = new BufferedInputStream(socket.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int post(String amzTarget, String authorization, String body) throws IOException {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "X-Amz-Target: " + amzTarget + "\r\nAuthorization: " + authorization + "\r\n"
                    + "X-Amz-Date: 20261128T100000Z\r\nContent-Length: " + payload.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            if (in.readNBytes(length).length != length) {
                throw new IOException("connection closed mid-answer");
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing after a broken exchange: nothing left to do.
            }
        }
    }

    private record Target(String accessKeyId, String region, List<String> keyArns) {
    }

    private static final class Driver {
        private final SpokeSim sim;
        private final List<Target> targets;
        private final int threads;
        private final Duration duration;
        final LongAdder calls = new LongAdder();
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final List<long[]> samples = new ArrayList<>();
        Duration elapsed;

        Driver(SpokeSim sim, List<Target> targets, int threads, Duration duration) {
            this.sim = sim;
            this.targets = targets;
            this.threads = threads;
            this.duration = duration;
        }

        void run() throws InterruptedException {
            CountDownLatch done = new CountDownLatch(threads);
            long started = System.nanoTime();
            long deadline = started + duration.toNanos();
            for (int t = 0; t < threads; t++) {
                long[] latencies = new long[100_000];
                samples.add(latencies);
                int seed = t;
                Thread thread = new Thread(() -> {
                    try {
                        drive(new SplittableRandom(seed), deadline, latencies);
                    } finally {
                        done.countDown();
                    }
                });
                thread.start();
            }
            done.await();
            elapsed = Duration.ofNanos(System.nanoTime() - started);
        }

        private void drive(SplittableRandom random, long deadline, long[] latencies) {
            RawConnection connection = new RawConnection(sim.endpoint());
            int n = 0;
            while (System.nanoTime() < deadline) {
                Target target = targets.get(random.nextInt(targets.size()));
                String key = target.keyArns().isEmpty() ? null : target.keyArns().get(random.nextInt(target.keyArns().size()));
                int roll = random.nextInt(100);
                String target_;
                String body;
                String service = "kms";
                if (roll < 5 || key == null) {
                    target_ = "TrentService.ListKeys";
                    body = "{\"Limit\":100}";
                } else if (roll < 10) {
                    target_ = "TrentService.ListAliases";
                    body = "{\"Limit\":100}";
                } else if (roll < 40) {
                    target_ = "TrentService.DescribeKey";
                    body = "{\"KeyId\":\"" + key + "\"}";
                } else if (roll < 60) {
                    target_ = "TrentService.GetKeyRotationStatus";
                    body = "{\"KeyId\":\"" + key + "\"}";
                } else if (roll < 78) {
                    target_ = "TrentService.ListResourceTags";
                    body = "{\"KeyId\":\"" + key + "\"}";
                } else if (roll < 95) {
                    target_ = "TrentService.GetKeyLastUsage";
                    body = "{\"KeyId\":\"" + key + "\"}";
                } else {
                    target_ = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
                    body = "{\"LookupAttributes\":[{\"AttributeKey\":\"ResourceName\",\"AttributeValue\":\"" + key
                            + "\"}],\"MaxResults\":50}";
                    service = "cloudtrail";
                }
                long start = System.nanoTime();
                int status;
                try {
                    status = connection.post(target_, authorization(target.accessKeyId(), target.region(), service), body);
                } catch (IOException e) {
                    status = -1;
                    connection.close();
                    connection = new RawConnection(sim.endpoint());
                }
                if (n < latencies.length) {
                    latencies[n++] = System.nanoTime() - start;
                }
                calls.increment();
                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            }
            if (n < latencies.length) {
                latencies[n] = -1;
            }
            connection.close();
        }

        Map<Integer, Long> statuses() {
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.forEach((status, n) -> counts.put(status, n.sum()));
            return counts;
        }

        long[] latencies() {
            return samples.stream().flatMapToLong(a -> Arrays.stream(a).takeWhile(v -> v > 0)).sorted().toArray();
        }
    }
}
