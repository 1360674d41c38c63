package dev.unusd.hub.kms;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a region is inventoried: keys inspected at once (calls stay within the pacing of each operation), whether
 * CloudTrail answers keys when its quota is free before GetKeyLastUsage's, whether the gap before usage tracking
 * began is swept once per region rather than searched per key (both in {@link UsageResolver}), and page sizes of the
 * list calls (AWS's maximums by default; smaller ones only make more calls).
 */
@ConfigurationProperties("hub.kms")
public record KmsProperties(@DefaultValue("4") int keyConcurrency, @DefaultValue("true") boolean cloudTrailAssist,
        @DefaultValue("true") boolean gapSweep, @DefaultValue PageSizes pageSizes) {

    public record PageSizes(
            @DefaultValue("1000") int listKeys,
            @DefaultValue("100") int listAliases,
            @DefaultValue("50") int listResourceTags,
            @DefaultValue("1000") int listKeyRotations,
            @DefaultValue("50") int lookupEvents,
            @DefaultValue("100") int listGrants) {
    }
}
