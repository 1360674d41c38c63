package dev.unusd.spokesim.wire;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Injected 5xx answers (seeded, so a failing test replays the same faults) and added latency. */
public final class ServerFaults {

    private final Random random;
    private final Map<String, Double> ratesByOperation = new ConcurrentHashMap<>();
    private volatile double rate;
    private volatile long latencyMs;

    public ServerFaults(long seed, double rate, Map<String, Double> ratesByOperation, long latencyMs) {
        this.random = new Random(seed);
        this.rate = rate;
        this.ratesByOperation.putAll(ratesByOperation);
        this.latencyMs = latencyMs;
    }

    boolean failNow(String operation) {
        double p = ratesByOperation.getOrDefault(operation, rate);
        if (p <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < p;
        }
    }

    public void rate(double newRate) {
        this.rate = newRate;
    }

    public void rate(String operation, double newRate) {
        ratesByOperation.put(operation, newRate);
    }

    public void latencyMs(long ms) {
        this.latencyMs = ms;
    }

    long latencyMs() {
        return latencyMs;
    }

    public void clear() {
        rate = 0;
        ratesByOperation.clear();
        latencyMs = 0;
    }
}
