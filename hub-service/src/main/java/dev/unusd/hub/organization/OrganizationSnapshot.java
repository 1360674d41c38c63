package dev.unusd.hub.organization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An organisation as one sync read it: its OUs and every member account with its State and parent. Paths are AWS
 * entity paths ({@code o-.../r-.../ou-.../ou-.../}), as {@code aws:PrincipalOrgPaths} spells them.
 */
record OrganizationSnapshot(String organizationId, String managementAccountId, String rootId, String rootName,
        Map<String, Unit> units, List<Member> members) {

    record Unit(String id, String name, String parentId) {
    }

    /** {@code state} as AWS sends it: ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED or PENDING_ACTIVATION. */
    record Member(String accountId, String name, String state, String parentId) {
    }

    /** The OU path of a member or OU (its parent chain from the root, each id followed by a slash). */
    String pathOf(String parentId) {
        List<String> chain = new ArrayList<>();
        for (String at = parentId; !at.equals(rootId); at = units.get(at).parentId()) {
            chain.add(0, at);
        }
        StringBuilder path = new StringBuilder(organizationId).append('/').append(rootId).append('/');
        chain.forEach(id -> path.append(id).append('/'));
        return path.toString();
    }

    /** Whether a path lies under one of the chosen roots or OUs (any of them, or one of their children). */
    static boolean within(String path, Set<String> chosen) {
        for (String segment : path.split("/")) {
            if (chosen.contains(segment)) {
                return true;
            }
        }
        return false;
    }
}
