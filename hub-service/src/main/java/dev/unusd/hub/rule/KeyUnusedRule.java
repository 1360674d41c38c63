package dev.unusd.hub.rule;

import static dev.unusd.hub.rule.Evidence.day;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.unusd.hub.access.AccessDocument;
import dev.unusd.hub.access.AccessEntry;
import dev.unusd.hub.access.Audience;
import dev.unusd.hub.access.Trust;

import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsageStatus;

/**
 * KEY_UNUSED (MEDIUM): a customer-managed key, Enabled or Disabled, older than unusedDays, with no successful
 * cryptographic use in the last unusedDays. A key whose usage is UNKNOWN gets no finding. A key younger than the window
 * is UNUSED but waits: it has not had the chance to be used yet.
 */
public final class KeyUnusedRule implements Rule {

    static final String TITLE = "Customer-managed KMS key not used";
    private static final Set<String> STATES = Set.of("Enabled", "Disabled");

    @Override
    public FindingType type() {
        return FindingType.KEY_UNUSED;
    }

    @Override
    public Verdict judge(KeySnapshot key, RuleSettings settings, Instant now) {
        KeyMetadata metadata = key.metadata();
        if (metadata == null) {
            return new Verdict.Undecided("DescribeKey: " + key.unknown().get(KeySnapshot.METADATA));
        }
        Instant windowStart = now.minus(Duration.ofDays(settings.unusedDays()));
        if (!metadata.customerManaged() || !STATES.contains(metadata.state())
                || !metadata.createdAt().isBefore(windowStart)) {
            return Verdict.CLEAR;
        }
        Usage usage = key.usage();
        if (usage.status() == UsageStatus.UNKNOWN) {
            return new Verdict.Undecided("usage unknown: " + key.unknown().getOrDefault(KeySnapshot.USAGE, "not checked"));
        }
        if (usage.status() == UsageStatus.USED) {
            return Verdict.CLEAR;
        }
        String region = key.region();
        List<String> cli = new ArrayList<>();
        // AWS's advice before deleting: disable first, then watch CloudTrail for DisabledException. For a key disabled
        // already, the refusals of the whole window; for one still enabled, those after this scan, once disabled.
        boolean enabled = metadata.state().equals("Enabled");
        if (enabled) {
            cli.add(Remediation.disable(key.keyId(), region));
        }
        cli.add(Remediation.refusedCalls(key.arn(), region, enabled ? now : windowStart));
        cli.add(Remediation.scheduleDeletion(key.keyId(), region));
        cli.add(Remediation.exempt(key.keyId(), region, settings));
        return Exemption.holds(key, settings, type(), TITLE, detail(metadata, usage, settings.unusedDays()),
                new Evidence().usage(key).with("unusedDays", settings.unusedDays()).with("state", metadata.state())
                        .with("createdAt", metadata.createdAt())
                        .with("canStillUse", canStillUse(key, settings))
                        .with("accessUnknown", key.access().access().unknown().isEmpty() ? null
                                : key.access().access().unknown()),
                cli);
    }

    /**
     * Who can still use or manage the unused key (the product's advice: audit key policies of unused keys), one line
     * each: principal, where from, and whether the tenant trusts it.
     */
    private static List<Map<String, Object>> canStillUse(KeySnapshot key, RuleSettings settings) {
        Trust trust = settings.trustFor(key.awsAccountId());
        List<Map<String, Object>> who = new ArrayList<>();
        for (AccessEntry entry : key.access().access().entries()) {
            if (entry.audience().kind() == Audience.Kind.NOBODY) {
                continue;
            }
            Map<String, Object> full = AccessDocument.entry(entry, trust);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("principal", entry.principal().value());
            line.put("audience", full.get("audience"));
            line.put("source", entry.source().describe());
            line.put("actions", full.get("actions"));
            line.put("trusted", full.get("trusted"));
            who.add(line);
        }
        return who;
    }

    private static String detail(KeyMetadata metadata, Usage usage, int unusedDays) {
        Usage.LastUse last = usage.lastUse();
        Instant knownSince = usage.knownSince();
        // Only what was searched is claimed: "last used on" needs every span after that use searched.
        String since;
        if (usage.lastUseIsLatest()) {
            since = "last used on " + day(last.at()) + " (" + last.operation() + ")";
        } else {
            since = knownSince == null || !knownSince.isAfter(metadata.createdAt())
                    ? "no recorded use since it was created on " + day(metadata.createdAt())
                    : "no recorded use since " + day(knownSince);
            if (last != null) {
                since += "; the newest use found before that was on " + day(last.at()) + " (" + last.operation() + ")";
            }
        }
        String advice = metadata.state().equals("Enabled")
                ? "The key still costs money while enabled: disable it, watch CloudTrail for DisabledException (the"
                        + " lookup-events command lists them), then schedule its deletion."
                : "The key is disabled and still costs money: if CloudTrail shows no DisabledException since it was"
                        + " disabled (the lookup-events command lists them), schedule its deletion.";
        return "No successful cryptographic use in the last " + unusedDays + " days (" + since + "). " + advice;
    }
}
