package dev.unusd.hub.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * KMS's policy lockout safety check, read conservatively: PutKeyPolicy refuses a policy that would not let its caller
 * call PutKeyPolicy again, and a policy accepted anyway leaves the key unmanageable. Who runs the command is not
 * known here, so a policy passes only when an Allow without any Condition lets a principal of the key's own account
 * call kms:PutKeyPolicy and no Deny, with or without conditions, may take that away.
 */
final class PolicyLockout {

    static final String PUT_KEY_POLICY = "kms:PutKeyPolicy";

    /** Principals a key account's administrator can be: its root (its IAM policies decide), a role or a user. */
    private static final Set<Principal.Kind> ADMINISTRATORS = Set.of(Principal.Kind.ACCOUNT, Principal.Kind.ROLE,
            Principal.Kind.USER);

    private PolicyLockout() {
    }

    /** The ARNs of the principals of {@code account} the statements certainly let call kms:PutKeyPolicy. */
    static List<String> administrators(List<JsonNode> statements, String account) {
        List<JsonNode> denies = statements.stream().filter(s -> !isAllow(s)).toList();
        List<String> administrators = new ArrayList<>();
        for (JsonNode statement : statements) {
            if (!isAllow(statement) || statement.has("Condition") || !statement.has("Principal")) {
                continue;
            }
            try {
                if (!KeyPolicyEvaluator.actions(statement).contains(PUT_KEY_POLICY)) {
                    continue;
                }
                for (Principal principal : KeyPolicyEvaluator.principals(statement.get("Principal"))) {
                    if (ADMINISTRATORS.contains(principal.kind()) && account.equals(principal.account())
                            && denies.stream().noneMatch(d -> mayBar(d, principal, account))
                            && !administrators.contains(principal.value())) {
                        administrators.add(principal.value());
                    }
                }
            } catch (PolicyFormatException | JacksonException e) {
                // An Allow KMS would read differently than this does is no proof that anyone can manage the key.
            }
        }
        return administrators;
    }

    private static boolean isAllow(JsonNode statement) {
        JsonNode effect = statement.get("Effect");
        return effect != null && effect.isString() && effect.asString().equals("Allow");
    }

    /**
     * Whether a Deny (or a statement not read as an Allow) may take kms:PutKeyPolicy from the principal. Its conditions
     * are not weighed: one that does not hold for the call cannot be shown here. NotPrincipal may exempt the principal
     * yet not the session that calls for it, so it bars too; a Deny on the account bars its roles and users.
     */
    private static boolean mayBar(JsonNode deny, Principal administrator, String account) {
        try {
            if (!KeyPolicyEvaluator.actions(deny).contains(PUT_KEY_POLICY)) {
                return false;
            }
            if (deny.has("NotPrincipal") || !deny.has("Principal")) {
                return true;
            }
            for (Principal barred : KeyPolicyEvaluator.principals(deny.get("Principal"))) {
                if (barred.kind() == Principal.Kind.ANYONE || barred.equals(administrator)
                        || barred.kind() == Principal.Kind.ACCOUNT && account.equals(barred.account())) {
                    return true;
                }
            }
            return false;
        } catch (PolicyFormatException | JacksonException e) {
            return true;
        }
    }
}
