package dev.unusd.hub.organization;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Reads an organisation's structure from the root down: per parent (the root, then each OU) its OUs and its accounts,
 * every list to its last page. That costs two calls per parent plus one per further page of 20, and tells each
 * account's parent without a ListParents call per account (the call users see throttled first).
 */
final class OrganizationDiscovery {

    private OrganizationDiscovery() {
    }

    static OrganizationSnapshot discover(OrganizationReader reader) {
        JsonNode organization = reader.describeOrganization();
        List<JsonNode> roots = reader.listRoots();
        if (roots.isEmpty()) {
            throw new OrganizationsException("NoRoot", 200, "ListRoots answered no root");
        }
        String rootId = roots.get(0).get("Id").asString();
        JsonNode rootName = roots.get(0).get("Name");
        Map<String, OrganizationSnapshot.Unit> units = new LinkedHashMap<>();
        // By account id: an account moved from an OU read already to one read later is listed under both; the later
        // listing is the newer, and one account registered twice would fail the sync.
        Map<String, OrganizationSnapshot.Member> members = new LinkedHashMap<>();
        Deque<String> parents = new ArrayDeque<>();
        parents.add(rootId);
        while (!parents.isEmpty()) {
            String parent = parents.poll();
            for (JsonNode unit : reader.listOrganizationalUnitsForParent(parent)) {
                String id = unit.get("Id").asString();
                units.put(id, new OrganizationSnapshot.Unit(id, unit.get("Name").asString(), parent));
                parents.add(id);
            }
            for (JsonNode account : reader.listAccountsForParent(parent)) {
                String id = account.get("Id").asString();
                members.remove(id);
                members.put(id, new OrganizationSnapshot.Member(id, account.get("Name").asString(), state(account),
                        parent));
            }
        }
        return new OrganizationSnapshot(organization.get("Id").asString(),
                organization.get("MasterAccountId").asString(), rootId,
                rootName == null || rootName.isNull() ? "Root" : rootName.asString(), units,
                new ArrayList<>(members.values()));
    }

    /** State, which AWS introduced to replace Status (retired on 9 September 2026); Status only when State is absent. */
    private static String state(JsonNode account) {
        JsonNode state = account.get("State");
        if (state != null && !state.isNull()) {
            return state.asString();
        }
        JsonNode status = account.get("Status");
        return status == null || status.isNull() ? "UNKNOWN" : status.asString();
    }
}
