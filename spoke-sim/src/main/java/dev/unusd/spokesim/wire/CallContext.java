package dev.unusd.spokesim.wire;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.unusd.spokesim.cloudtrail.EventLog;
import dev.unusd.spokesim.cloudtrail.TrailEvent;
import dev.unusd.spokesim.organisation.SimAccount;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimRegion;
import dev.unusd.spokesim.organisation.SimRole;
import dev.unusd.spokesim.sts.Principal;

/** One authenticated API call: who, where, when, and the IAM decision for its action. */
public record CallContext(Caller caller, SimAccount account, SimRegion region, String requestId, Instant now) {

    /**
     * Identity-based policy: the owner may do anything; an assumed role exactly what its policy lists. A role deleted
     * after its session was issued has no policy left, so every call fails.
     */
    public void authorize(String action, String resource) {
        if (caller.owner()) {
            return;
        }
        Principal principal = caller.principal();
        Optional<SimRole> role = principal.assumedRole() ? account.role(principal.roleName()) : Optional.empty();
        if (role.isEmpty() || !role.get().actions().contains(action)) {
            throw AwsError.accessDenied("User: " + principal.arn() + " is not authorized to perform: " + action
                    + " on resource: " + resource + " because no identity-based policy allows the " + action + " action");
        }
    }

    /** A key policy with an explicit Deny for this action. */
    public AwsError keyPolicyDenies(String action, String keyArn) {
        return AwsError.accessDenied("User: " + caller.principal().arn() + " is not authorized to perform: " + action
                + " on resource: " + keyArn + " with an explicit deny in a resource-based policy");
    }

    public TrailEvent event(String eventName, boolean readOnly, SimKey key, Map<String, Object> requestParameters,
            AwsError error) {
        return new TrailEvent(EventLog.nextSequence(), RandomIds.uuid(), now, eventName, readOnly, caller.principal(),
                caller.accessKeyId(), region.name(), key == null ? null : key.arn(), requestParameters,
                error == null ? null : error.code(), error == null ? null : error.getMessage(), requestId);
    }
}
