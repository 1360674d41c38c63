package dev.unusd.spokesim.wire;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Injected 5xx answers (seeded, so a failing test replays the same faults), throttling and added latency. Faults
 * scoped to one account let tests that share a simulator fail their own calls without touching the others'.
 */
public final class ServerFaults {

    private final Random random;
    private final Map<String, Double> ratesByOperation = new ConcurrentHashMap<>();
    private final Map<AccountOperation, Double> ratesByAccount = new ConcurrentHashMap<>();
    private final Set<AccountOperation> throttled = ConcurrentHashMap.newKeySet();
    private final Set<AccountOperation> unsupported = ConcurrentHashMap.newKeySet();
    private volatile double rate;
    private volatile long latencyMs;

    public ServerFaults(long seed, double rate, Map<String, Double> ratesByOperation, long latencyMs) {
        this.random = new Random(seed);
        this.rate = rate;
        this.ratesByOperation.putAll(ratesByOperation);
        this.latencyMs = latencyMs;
    }

    /** Whether this call fails with a 5xx: the account's rate for the operation if it has one, else the global one. */
    boolean failNow(String accountId, String operation) {
        Double own = ratesByAccount.isEmpty() ? null : ratesByAccount.get(new AccountOperation(accountId, operation));
        double p = own != null ? own : ratesByOperation.getOrDefault(operation, rate);
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

    /** A rate for one operation in one account; 0 removes it, so the global rates apply again. */
    public void rate(String accountId, String operation, double newRate) {
        AccountOperation scope = new AccountOperation(accountId, operation);
        if (newRate <= 0) {
            ratesByAccount.remove(scope);
        } else {
            ratesByAccount.put(scope, newRate);
        }
    }

    /** Every call of the operation in the account is throttled, or none is by this fault. */
    public void throttled(String accountId, String operation, boolean always) {
        mark(throttled, accountId, operation, always);
    }

    boolean throttledNow(String accountId, String operation) {
        return marked(throttled, accountId, operation);
    }

    /** The account's calls of the operation answer as an operation the simulator lacks, or no longer do. */
    public void unsupported(String accountId, String operation, boolean lacking) {
        mark(unsupported, accountId, operation, lacking);
    }

    boolean unsupportedNow(String accountId, String operation) {
        return marked(unsupported, accountId, operation);
    }

    private static void mark(Set<AccountOperation> faults, String accountId, String operation, boolean on) {
        AccountOperation scope = new AccountOperation(accountId, operation);
        if (on) {
            faults.add(scope);
        } else {
            faults.remove(scope);
        }
    }

    private static boolean marked(Set<AccountOperation> faults, String accountId, String operation) {
        return !faults.isEmpty() && faults.contains(new AccountOperation(accountId, operation));
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
        ratesByAccount.clear();
        throttled.clear();
        unsupported.clear();
        latencyMs = 0;
    }

    private record AccountOperation(String accountId, String operation) {
    }
}
