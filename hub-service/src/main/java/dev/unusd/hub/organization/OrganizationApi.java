package dev.unusd.hub.organization;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;

/** What other features may ask about, and ask of, the organisations a tenant onboarded. */
@Component
public class OrganizationApi {

    private static final Duration SYNC_WAIT = Duration.ofMinutes(5);

    private final Organizations organizations;
    private final OrganizationService service;
    private final OrganizationSyncs syncs;
    private final TransactionTemplate tx;

    OrganizationApi(Organizations organizations, OrganizationService service, OrganizationSyncs syncs,
            TransactionTemplate tx) {
        this.organizations = organizations;
        this.service = service;
        this.syncs = syncs;
        this.tx = tx;
    }

    /** An organisation as its onboarding needs it: the ExternalId and the names of the two stacks' roles. */
    public record OrganizationRef(UUID id, String managementAccountId, String externalId, String readerRoleName,
            String spokeRoleName) {
    }

    /** What one sync did; {@code errors} as {@code code: message}, prefixed by the account when there is one. */
    public record SyncOutcome(String status, int accountsFound, int added, int reactivated, int removed, int verified,
            List<String> errors) {
    }

    /**
     * The AWS Organizations ({@code o-...}) of the tenant in context, as its syncs read them: a key policy that
     * lets in only their members lets in no one outside the tenant. An organisation never synced is not known yet.
     */
    @Transactional(readOnly = true)
    public Set<String> awsOrganizationIds() {
        return Set.copyOf(organizations.awsOrganizationIds(TenantContext.require()));
    }

    /**
     * The tenant's organisation read through {@code managementAccountId}, registered now (the whole organisation,
     * the tenant's default regions) when it has none.
     */
    public OrganizationRef registerOrFind(String managementAccountId, String name) {
        UUID tenant = TenantContext.require();
        OrganizationRecord organization = Optional.ofNullable(tx.execute(s -> organizations.all(tenant).stream()
                        .filter(o -> o.managementAccountId().equals(managementAccountId)).findFirst().orElse(null)))
                .orElseGet(() -> service.register(managementAccountId, name, null, null, null, null, null));
        return new OrganizationRef(organization.id(), organization.managementAccountId(), organization.externalId(),
                organization.readerRoleName(), organization.spokeRoleName());
    }

    /**
     * Queues a sync of the organisation as {@code POST /organizations/{id}/sync} does (or joins the one queued or
     * running) and answers what it did once it has ended, waiting five minutes at most.
     */
    public SyncOutcome syncNow(UUID organizationId) {
        return outcome(awaitEnd(organizationId, service.requestSync(organizationId).id()));
    }

    private SyncRecord awaitEnd(UUID organizationId, UUID syncId) {
        Instant deadline = Instant.now().plus(SYNC_WAIT);
        while (true) {
            SyncRecord record = tx.execute(s -> syncs.find(organizationId, syncId).orElseThrow());
            boolean ended = record.status() != SyncRecord.Status.QUEUED && record.status() != SyncRecord.Status.RUNNING;
            if (ended || Instant.now().isAfter(deadline)) {
                return record;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return record;
            }
        }
    }

    private static SyncOutcome outcome(SyncRecord record) {
        List<String> errors = new java.util.ArrayList<>();
        if (record.error() != null) {
            errors.add(record.error().code() + ": " + record.error().message());
        }
        record.errors().forEach(e -> errors.add(prefix(e.awsAccountId()) + e.code() + ": " + e.message()));
        return new SyncOutcome(record.status().name(), record.accountsFound(), record.added(), record.reactivated(),
                record.removed(), record.verified(), List.copyOf(errors));
    }

    private static String prefix(@Nullable String awsAccountId) {
        return awsAccountId == null ? "" : awsAccountId + " ";
    }
}
