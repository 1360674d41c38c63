package dev.unusd.spokesim;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A customer account: roles, regions (created empty on first use when the scenario does not list them), faults. */
final class SimAccount {

    final String id;
    final String name;
    final Map<String, SimRole> roles = new ConcurrentHashMap<>();
    final Map<String, SimRegion> regions = new ConcurrentHashMap<>();
    final Set<String> disabledRegions = ConcurrentHashMap.newKeySet();
    private final Instant defaultTrackingStart;
    volatile long latencyMs;

    SimAccount(String id, String name, Instant defaultTrackingStart) {
        this.id = id;
        this.name = name;
        this.defaultTrackingStart = defaultTrackingStart;
    }

    SimRegion region(String region) {
        return regions.computeIfAbsent(region, r -> new SimRegion(id, r, defaultTrackingStart, List.of(), List.of()));
    }

    Optional<SimRole> role(String roleName) {
        return Optional.ofNullable(roles.get(roleName));
    }

    boolean regionEnabled(String region) {
        return !disabledRegions.contains(region);
    }
}
