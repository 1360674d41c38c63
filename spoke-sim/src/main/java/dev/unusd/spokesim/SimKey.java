package dev.unusd.spokesim;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.MultiRegionKeyType;
import dev.unusd.spokesim.Scenario.Rotation;

/** A key's live state: the scenario's description of it plus what changes while the simulator runs. */
final class SimKey {

    final Key definition;
    final String accountId;
    final String region;
    final String arn;
    final List<Map.Entry<String, String>> tags;
    volatile KeyState state;
    volatile KeyFaults faults;
    volatile KeyUse lastUse;
    volatile Rotation rotation;
    volatile List<Instant> rotationDates;
    volatile MultiRegionConfiguration multiRegion;

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

    String id() {
        return definition.id();
    }

    /** What GetKeyLastUsage reports; cloudTrailEventId and kmsRequestId tie it to the request that used the key. */
    record KeyUse(Instant at, String operation, String cloudTrailEventId, String kmsRequestId) {
    }

    record Replica(String arn, String region) {
    }

    record MultiRegionConfiguration(MultiRegionKeyType type, Replica primary, List<Replica> replicas) {
    }
}
