package dev.unusd.hub.kms;

import java.util.Map;

import dev.unusd.hub.aws.SpokeRegion;

/** A key inventory built with the settings a test chooses, which keeps the last snapshot it collected. */
public class RecordingKeyInventory extends KeyInventory {

    private volatile RegionSnapshot last;

    public RecordingKeyInventory(KmsProperties properties) {
        super(new UsageResolver(properties), properties);
    }

    @Override
    public RegionSnapshot collect(SpokeRegion region, Map<String, StoredKey> stored, UsagePolicy policy) {
        RegionSnapshot snapshot = super.collect(region, stored, policy);
        last = snapshot;
        return snapshot;
    }

    public RegionSnapshot last() {
        return last;
    }
}
