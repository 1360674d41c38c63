package dev.unusd.spokesim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls the simulator answered, per (account, region, operation) and in total per operation. {@code calls} counts every
 * request, {@code throttled} the ThrottlingException answers among them, {@code errors} every other error by code.
 * Calls with unknown credentials count under account "unknown"; control-plane calls are not counted.
 */
public record CounterSnapshot(List<OperationCount> entries, Map<String, Totals> byOperation, long totalCalls,
        long totalThrottled) {

    public static CounterSnapshot of(List<OperationCount> entries) {
        Map<String, Totals> byOperation = new TreeMap<>();
        long calls = 0;
        long throttled = 0;
        for (OperationCount e : entries) {
            byOperation.merge(e.operation(), new Totals(e.calls(), e.throttled(), e.errorCount()), Totals::plus);
            calls += e.calls();
            throttled += e.throttled();
        }
        return new CounterSnapshot(List.copyOf(entries), Map.copyOf(byOperation), calls, throttled);
    }

    public long calls(String operation) {
        Totals totals = byOperation.get(operation);
        return totals == null ? 0 : totals.calls();
    }

    public long throttled(String operation) {
        Totals totals = byOperation.get(operation);
        return totals == null ? 0 : totals.throttled();
    }

    public OperationCount of(String accountId, String region, String operation) {
        return entries.stream()
                .filter(e -> e.accountId().equals(accountId) && e.region().equals(region) && e.operation().equals(operation))
                .findFirst().orElse(new OperationCount(accountId, region, operation, 0, 0, Map.of()));
    }

    public record Scope(String accountId, String region, String operation) {
    }

    public record OperationCount(String accountId, String region, String operation, long calls, long throttled,
            Map<String, Long> errors) {

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long errors(String code) {
            return errors.getOrDefault(code, 0L);
        }
    }

    public record Totals(long calls, long throttled, long errors) {
        Totals plus(Totals other) {
            return new Totals(calls + other.calls, throttled + other.throttled, errors + other.errors);
        }
    }
}
