package dev.unusd.spokesim.wire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.unusd.spokesim.CounterSnapshot;

/** Live call counters per (account, region, operation); hot path is lock-free. */
public final class Counters {

    private final Map<CounterSnapshot.Scope, Counter> counters = new ConcurrentHashMap<>();

    private Counter counter(String accountId, String region, String operation) {
        CounterSnapshot.Scope scope = new CounterSnapshot.Scope(accountId, region, operation);
        Counter counter = counters.get(scope);
        return counter != null ? counter : counters.computeIfAbsent(scope, s -> new Counter());
    }

    void call(String accountId, String region, String operation) {
        counter(accountId, region, operation).calls.increment();
    }

    void throttled(String accountId, String region, String operation) {
        counter(accountId, region, operation).throttled.increment();
    }

    void error(String accountId, String region, String operation, String code) {
        counter(accountId, region, operation).errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void reset() {
        counters.clear();
    }

    public CounterSnapshot snapshot() {
        List<CounterSnapshot.OperationCount> entries = new ArrayList<>();
        counters.forEach((scope, counter) -> {
            Map<String, Long> errors = new TreeMap<>();
            counter.errors.forEach((code, n) -> errors.put(code, n.sum()));
            entries.add(new CounterSnapshot.OperationCount(scope.accountId(), scope.region(), scope.operation(),
                    counter.calls.sum(), counter.throttled.sum(), errors));
        });
        entries.sort(Comparator.comparing(CounterSnapshot.OperationCount::accountId)
                .thenComparing(CounterSnapshot.OperationCount::region)
                .thenComparing(CounterSnapshot.OperationCount::operation));
        return CounterSnapshot.of(entries);
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder throttled = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    }
}
