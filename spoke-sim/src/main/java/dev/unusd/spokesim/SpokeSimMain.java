package dev.unusd.spokesim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import dev.unusd.spokesim.wire.WireJson;

/**
 * {@code java -jar spoke-sim-exec.jar --scenario <file|demo> | --generate accounts=..,regions=..,keys=..,seed=..[,ous=..]
 * [--port 4566] [--host 127.0.0.1] [--quota-scale 1.0] [--latency-ms 0]}
 */
public final class SpokeSimMain {

    private SpokeSimMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        if (options.containsKey("help") || !(options.containsKey("scenario") || options.containsKey("generate"))) {
            System.out.println("usage: spoke-sim --scenario <file|demo> | --generate accounts=3,regions=2,keys=15,seed=42"
                    + "[,externalId=X][,ous=40]  [--port 4566] [--host 127.0.0.1] [--quota-scale 1.0] [--latency-ms 0]");
            System.exit(options.containsKey("help") ? 0 : 2);
        }
        long started = System.nanoTime();
        // Jackson's first use costs as much as reading the scenario: pay for both at once on two cores.
        Thread warmUp = new Thread(WireJson::warmUp, "spoke-sim-warm-up");
        warmUp.start();
        Scenario scenario = options.containsKey("generate")
                ? OrganisationGenerator.generate(OrganisationSpec.parse(options.get("generate")))
                : new ScenarioReader(Instant.now()).read(options.get("scenario"));
        SpokeSim.Options server = new SpokeSim.Options(options.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(options.getOrDefault("port", "4566")));
        SpokeSim sim = SpokeSim.start(scenario, server);
        if (options.containsKey("quota-scale")) {
            sim.setQuotaScale(Double.parseDouble(options.get("quota-scale")));
        }
        if (options.containsKey("latency-ms")) {
            sim.setLatency(Long.parseLong(options.get("latency-ms")));
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - started);
        Scenario loaded = sim.scenario();
        System.out.printf("spoke-sim listening on %s (STS, KMS, CloudTrail; control plane %s/_sim/)%n",
                sim.endpoint(), sim.endpoint());
        System.out.printf("  %d accounts, %d keys, hub account %s, started in %d ms%n", loaded.accounts().size(),
                loaded.keyCount(), loaded.hubAccountId(), startup.toMillis());
        loaded.accounts().stream().limit(10).forEach(a -> System.out.printf("  %s %-14s roles %s regions %s%s%n",
                a.id(), a.name(), a.roles().stream().map(r -> r.name() + (r.externalId() == null ? " (not deployed)" : ""))
                        .toList(), a.regions().keySet(), a.disabledRegions().isEmpty() ? ""
                        : " disabled " + a.disabledRegions()));
        if (loaded.accounts().size() > 10) {
            System.out.printf("  ... and %d more accounts%n", loaded.accounts().size() - 10);
        }
        System.out.println("  owner credentials: access key AKIAOWNER<account id>, any secret");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (name.equals("help")) {
                options.put(name, "");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                options.put(name, args[++i]);
            }
        }
        return options;
    }
}
