package dev.unusd.spokesim.organizations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every simulated organisation, found by its id or by any of its accounts (an account belongs to one at most), and
 * the service-managed StackSets deployed in them.
 */
public final class Organizations {

    /**
     * A service-managed StackSet with auto-deployment: the spoke role with this ExternalId in every account under the
     * targets (OU or root ids), except the management account, which service-managed StackSets never deploy to.
     */
    public record StackSet(String roleName, String externalId, Set<String> targets) {
        public StackSet {
            targets = Set.copyOf(targets);
        }
    }

    private final long seed;
    private final Map<String, AwsOrganization> byId = new ConcurrentHashMap<>();
    private final Map<String, StackSet> stackSets = new ConcurrentHashMap<>();
    private volatile boolean legacyStatus = true;

    public Organizations(long seed) {
        this.seed = seed;
    }

    /** A new organisation whose management account is its first member, under the root. */
    public synchronized AwsOrganization create(String managementAccountId, String managementName, java.time.Instant now) {
        if (ofAccount(managementAccountId).isPresent()) {
            throw new IllegalArgumentException("account " + managementAccountId + " is already in an organisation");
        }
        AwsOrganization organization = new AwsOrganization(managementAccountId, seed);
        organization.put(managementAccountId, organization.rootId(), managementName, AwsOrganization.State.ACTIVE,
                Map.of(), now);
        byId.put(organization.id(), organization);
        return organization;
    }

    public AwsOrganization get(String organizationId) {
        AwsOrganization organization = byId.get(organizationId);
        if (organization == null) {
            throw new IllegalArgumentException("no organisation " + organizationId);
        }
        return organization;
    }

    public Optional<AwsOrganization> ofAccount(String accountId) {
        return byId.values().stream().filter(o -> o.find(accountId).isPresent()).findFirst();
    }

    public List<AwsOrganization> all() {
        return List.copyOf(byId.values());
    }

    public void stackSet(String organizationId, StackSet stackSet) {
        stackSets.put(get(organizationId).id(), stackSet);
    }

    public Optional<StackSet> stackSet(String organizationId) {
        return Optional.ofNullable(stackSets.get(organizationId));
    }

    /** Whether accounts still carry the {@code Status} field AWS retires on 9 September 2026 next to {@code State}. */
    public boolean legacyStatus() {
        return legacyStatus;
    }

    public void legacyStatus(boolean include) {
        this.legacyStatus = include;
    }

    /** A join must not put an account in two organisations. */
    void requireFree(String accountId, AwsOrganization joining) {
        ofAccount(accountId).filter(o -> o != joining).ifPresent(o -> {
            throw new IllegalArgumentException("account " + accountId + " is already in " + o.id());
        });
    }

    /** Joins or moves a member, refusing an account of another organisation. */
    public synchronized AwsOrganization.Member put(String organizationId, String accountId, String parentId, String name,
            AwsOrganization.State state, Map<String, String> tags, java.time.Instant now) {
        AwsOrganization organization = get(organizationId);
        requireFree(accountId, organization);
        return organization.put(accountId, parentId, name, state, tags, now);
    }
}
