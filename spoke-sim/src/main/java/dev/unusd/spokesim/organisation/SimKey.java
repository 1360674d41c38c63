package dev.unusd.spokesim.organisation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Rotation;

/** A key's live state: the scenario's description of it plus what changes while the simulator runs. */
public final class SimKey {

    private final Key definition;
    private final String accountId;
    private final String region;
    private final String arn;
    private final List<Map.Entry<String, String>> tags;
    private volatile KeyState state;
    private volatile KeyFaults faults;
    private volatile KeyUse lastUse;
    private volatile Rotation rotation;
    private volatile List<Instant> rotationDates;
    private volatile MultiRegionConfiguration multiRegion;

    SimKey(Key definition, String accountId, String region) {
        this.definition = definition;
        this.accountId = accountId;
        this.region = region;
        this.arn = definition.arn(accountId, region);
        this.tags = List.copyOf(definition.tags().entrySet());
        this.state = definition.state();
        this.faults = definition.faults();
        this.rotation = definition.rotation();
        this.rotationDates = List.of();
    }

    public String id() {
        return definition.id();
    }

    /** The scenario's description: what never changes (spec, usage, origin, manager, creation date). */
    public Key definition() {
        return definition;
    }

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    public String arn() {
        return arn;
    }

    public List<Map.Entry<String, String>> tags() {
        return tags;
    }

    public KeyState state() {
        return state;
    }

    public void state(KeyState newState) {
        this.state = newState;
    }

    public KeyFaults faults() {
        return faults;
    }

    public void faults(KeyFaults newFaults) {
        this.faults = newFaults;
    }

    /** What GetKeyLastUsage reports, or null when no use is known since tracking started. */
    public KeyUse lastUse() {
        return lastUse;
    }

    /** A successful use; it becomes the last use unless a newer one is already known. */
    public synchronized void used(KeyUse use) {
        KeyUse previous = lastUse;
        if (previous == null || !previous.at().isAfter(use.at())) {
            lastUse = use;
        }
    }

    public Rotation rotation() {
        return rotation;
    }

    public List<Instant> rotationDates() {
        return rotationDates;
    }

    /** Null unless the key is multi-Region. */
    public MultiRegionConfiguration multiRegion() {
        return multiRegion;
    }

    void lastUse(KeyUse use) {
        this.lastUse = use;
    }

    void rotationDates(List<Instant> dates) {
        this.rotationDates = List.copyOf(dates);
    }

    /** Replicas mirror their primary's rotation. */
    void mirrorRotationOf(SimKey primary) {
        this.rotation = primary.rotation;
        this.rotationDates = primary.rotationDates;
    }

    void multiRegion(MultiRegionConfiguration configuration) {
        this.multiRegion = configuration;
    }

    /** What GetKeyLastUsage reports; cloudTrailEventId and kmsRequestId tie it to the request that used the key. */
    public record KeyUse(Instant at, String operation, String cloudTrailEventId, String kmsRequestId) {
    }

    public record Replica(String arn, String region) {
    }

    public record MultiRegionConfiguration(MultiRegionKeyType type, Replica primary, List<Replica> replicas) {
    }
}
