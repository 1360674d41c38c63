package dev.unusd.spokesim.organisation;

import java.util.Optional;
import java.util.Set;

/** A role in a spoke account: its trust (ExternalId) and the IAM actions its policy allows. */
public record SimRole(String name, Optional<String> externalId, Set<String> actions) {

    /** The default MaxSessionDuration the spoke-role template sets. */
    public static final int MAX_SESSION_SECONDS = 3600;

    public SimRole {
        actions = Set.copyOf(actions);
    }

    public boolean trusts(String givenExternalId) {
        return externalId.isPresent() && externalId.get().equals(givenExternalId);
    }
}
