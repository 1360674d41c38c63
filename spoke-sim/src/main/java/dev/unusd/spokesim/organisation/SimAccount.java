package dev.unusd.spokesim.organisation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A customer account: roles, regions (created empty on first use when the scenario does not list them), faults. */
public final class SimAccount {

    private final String id;
    private final String name;
    private final Map<String, SimRole> roles = new ConcurrentHashMap<>();
    private final Map<String, SimRegion> regions = new ConcurrentHashMap<>();
    private final Set<String> disabledRegions = ConcurrentHashMap.newKeySet();
    private final Instant defaultTrackingStart;
    private volatile long latencyMs;
    private volatile String sessionAccount;

    SimAccount(String id, String name, Instant defaultTrackingStart) {
        this.id = id;
        this.name = name;
        this.defaultTrackingStart = defaultTrackingStart;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public SimRegion region(String region) {
        return regions.computeIfAbsent(region, r -> new SimRegion(id, r, defaultTrackingStart, List.of(), List.of()));
    }

    public Collection<SimRegion> regions() {
        return regions.values();
    }

    /**
     * The account AssumeRole names in the AssumedRoleUser of this account's sessions: its own, or another one, as an
     * endpoint wired to the wrong account would answer (a fault for tests).
     */
    public String sessionAccount() {
        String other = sessionAccount;
        return other == null ? id : other;
    }

    public void sessionAccount(String other) {
        this.sessionAccount = other;
    }

    public Optional<SimRole> role(String roleName) {
        return Optional.ofNullable(roles.get(roleName));
    }

    public Collection<SimRole> roles() {
        return roles.values();
    }

    /** Creates or replaces the role of that name. */
    public void putRole(SimRole role) {
        roles.put(role.name(), role);
    }

    public void removeRole(String roleName) {
        roles.remove(roleName);
    }

    public boolean regionEnabled(String region) {
        return !disabledRegions.contains(region);
    }

    public void regionEnabled(String region, boolean enabled) {
        if (enabled) {
            disabledRegions.remove(region);
        } else {
            disabledRegions.add(region);
        }
    }

    public Set<String> disabledRegions() {
        return Set.copyOf(disabledRegions);
    }

    /** Added to every answer of this account, on top of the simulator-wide latency. */
    public long latencyMs() {
        return latencyMs;
    }

    public void latencyMs(long ms) {
        this.latencyMs = ms;
    }

    void putRegion(SimRegion region) {
        regions.put(region.name(), region);
    }
}
