package dev.unusd.hub.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.UsageStatus;

/**
 * Something a target could not see, for {@code keys} keys: {@code code} (METADATA_DENIED, TAGS_DENIED,
 * USAGE_UNKNOWN, ...) and the first key's reason as AWS gave it.
 */
public record TargetWarning(String code, String message, int keys) {

    /** What each withheld field is called in codes, and which call withheld it. */
    private static final Map<String, String[]> FIELDS = Map.of(
            KeySnapshot.METADATA, new String[] {"METADATA", "kms:DescribeKey"},
            KeySnapshot.TAGS, new String[] {"TAGS", "kms:ListResourceTags"},
            KeySnapshot.ROTATION, new String[] {"ROTATION", "kms:GetKeyRotationStatus"},
            KeySnapshot.ROTATIONS, new String[] {"ROTATIONS", "kms:ListKeyRotations"},
            KeySnapshot.LAST_USAGE, new String[] {"LAST_USAGE", "kms:GetKeyLastUsage"},
            KeySnapshot.REFUSED_USE, new String[] {"REFUSED_USE", "cloudtrail:LookupEvents"},
            KeySnapshot.KEY_POLICY, new String[] {"KEY_POLICY", "kms:GetKeyPolicy"},
            KeySnapshot.GRANTS, new String[] {"GRANTS", "kms:ListGrants"});

    /**
     * The warnings of one region's snapshot, in a fixed order: a key whose usage is unknown (USAGE_UNKNOWN), and per
     * field AWS withheld, _DENIED when it was an access denial, _UNKNOWN otherwise (5xx, unsupported).
     */
    static List<TargetWarning> of(List<KeySnapshot> keys) {
        Map<String, TargetWarning> warnings = new LinkedHashMap<>();
        for (KeySnapshot key : keys) {
            if (key.customerManaged() && key.usage().status() == UsageStatus.UNKNOWN) {
                add(warnings, "USAGE_UNKNOWN", "usage: " + key.unknown().getOrDefault(KeySnapshot.USAGE, "not checked"));
            }
            for (String field : List.of(KeySnapshot.METADATA, KeySnapshot.TAGS, KeySnapshot.ROTATION,
                    KeySnapshot.ROTATIONS, KeySnapshot.LAST_USAGE, KeySnapshot.REFUSED_USE, KeySnapshot.KEY_POLICY,
                    KeySnapshot.GRANTS)) {
                String reason = key.unknown().get(field);
                if (reason != null) {
                    String[] names = FIELDS.get(field);
                    boolean denied = reason.startsWith("AccessDenied");
                    add(warnings, names[0] + (denied ? "_DENIED" : "_UNKNOWN"), names[1] + ": " + reason);
                }
            }
        }
        return new ArrayList<>(warnings.values());
    }

    private static void add(Map<String, TargetWarning> warnings, String code, String message) {
        warnings.merge(code, new TargetWarning(code, message, 1),
                (was, one) -> new TargetWarning(code, was.message(), was.keys() + 1));
    }
}
