package dev.unusd.hub.organization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.account.AccountRef;
import dev.unusd.hub.account.Deactivation;
import dev.unusd.hub.account.OrganizationMember;
import dev.unusd.hub.aws.SpokeVerification;
import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.web.ApiException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One sync of an organisation: read its structure through the reader role, register the ACTIVE accounts under the
 * chosen OUs (name, OU path, tags), deactivate those that left, were suspended or closed, moved out of the chosen OUs
 * or were excluded, verify the spoke role of every account that needs it, and record what happened. The management
 * account is never registered by a sync: a service-managed StackSet does not deploy to it.
 */
@Service
class OrganizationSync {

    private static final Logger log = LoggerFactory.getLogger(OrganizationSync.class);

    private final Organizations organizations;
    private final OrganizationSyncs syncs;
    private final OrganizationReaders readers;
    private final AccountApi accounts;
    private final SpokeVerification verification;
    private final OrganizationsProperties properties;
    private final TransactionTemplate tx;
    private final CrashPoints crashPoints;
    private final AtomicInteger threads = new AtomicInteger();

    OrganizationSync(Organizations organizations, OrganizationSyncs syncs, OrganizationReaders readers,
            AccountApi accounts, SpokeVerification verification, OrganizationsProperties properties,
            TransactionTemplate tx, CrashPoints crashPoints) {
        this.organizations = organizations;
        this.syncs = syncs;
        this.readers = readers;
        this.accounts = accounts;
        this.verification = verification;
        this.properties = properties;
        this.tx = tx;
        this.crashPoints = crashPoints;
    }

    /** Runs a queued sync to its end in the tenant's context; whatever AWS answers ends up in the sync's record. */
    void run(UUID tenantId, UUID organizationId, UUID syncId) {
        TenantContext.runAs(tenantId, () -> {
            if (!Boolean.TRUE.equals(tx.execute(s -> syncs.start(syncId, DbTime.now())))) {
                log.info("Sync {} of organisation {} has ended already: nothing to run", syncId, organizationId);
                return;
            }
            OrganizationRecord organization = tx.execute(s -> organizations.find(tenantId, organizationId)
                    .orElse(null));
            if (organization == null) {
                // Removed while queued (DELETE refuses while a sync is queued, so only when removed with its tenant).
                tx.executeWithoutResult(s -> syncs.finish(failed(syncId, organizationId, 0, 0, "ORGANIZATION_REMOVED",
                        "The organisation was removed before this sync ran: nothing was changed")));
                return;
            }
            SyncRecord finished;
            try {
                finished = sync(organization, syncId);
            } catch (RuntimeException e) {
                log.error("Sync {} of organisation {} failed", syncId, organizationId, e);
                finished = failed(syncId, organizationId, 0, 0, "ERROR", "The sync failed inside the hub: "
                        + e.getClass().getSimpleName());
            }
            SyncRecord record = finished;
            tx.executeWithoutResult(s -> syncs.finish(record));
        });
    }

    private SyncRecord sync(OrganizationRecord organization, UUID syncId) {
        OrganizationSnapshot snapshot;
        Map<String, Map<String, String>> tags = new HashMap<>();
        Scope scope;
        Set<String> unplaced;
        int calls;
        int throttled;
        try (OrganizationReaders.Session session = readers.open(organization)) {
            OrganizationReader reader = session.reader();
            try {
                snapshot = OrganizationDiscovery.discover(reader);
                if (organization.awsOrganizationId() != null
                        && !organization.awsOrganizationId().equals(snapshot.organizationId())) {
                    return failed(syncId, organization.id(), reader.calls(), reader.throttled(), "ORGANIZATION_CHANGED",
                            "The reader role now reads organisation " + snapshot.organizationId() + ", not "
                                    + organization.awsOrganizationId() + ": nothing was changed");
                }
                scope = scope(organization, snapshot);
                for (OrganizationSnapshot.Member member : scope.members()) {
                    tags.put(member.accountId(), reader.listTagsForResource(member.accountId()));
                }
                unplaced = movedWhileRead(reader, organization.id(), snapshot);
            } catch (OrganizationsException e) {
                return failed(syncId, organization.id(), reader.calls(), reader.throttled(), code(e), message(e));
            } catch (SdkException e) {
                // The reader role's credentials: STS refused AssumeRole (missing role, trust or ExternalId mismatch).
                return failed(syncId, organization.id(), reader.calls(), reader.throttled(), "ASSUME_ROLE_DENIED",
                        "The hub could not assume " + organization.readerRoleArn() + " with the organisation's"
                                + " ExternalId: " + e.getMessage());
            }
            calls = reader.calls();
            throttled = reader.throttled();
        }
        crashPoints.reached(CrashPoint.ORGANIZATION_READ);
        List<OrganizationMember> members = scope.members().stream().map(m -> new OrganizationMember(m.accountId(),
                m.name(), organization.id(), snapshot.pathOf(m.parentId()), tags.get(m.accountId()),
                organization.spokeRoleName(), organization.externalId())).toList();
        List<Organizations.Unit> units = units(snapshot);
        AccountApi.MembershipChanges changes = tx.execute(s -> {
            organizations.saveUnits(organization.tenantId(), organization.id(), units, DbTime.now());
            return accounts.syncOrganizationMembers(organization.id(), organization.regions(), members,
                    scope.outOfScope(), Set.copyOf(organizations.removedIds(organization.tenantId())), unplaced);
        });
        List<SyncRecord.AccountError> errors = new ArrayList<>(scope.problems());
        unplaced.stream().sorted().forEach(awsAccountId -> errors.add(new SyncRecord.AccountError(awsAccountId,
                "MOVED_DURING_SYNC", "Still a member, but moved between OUs while the sync read them: left as it was"
                        + " until the next sync places it")));
        changes.skipped().forEach((awsAccountId, why) ->
                errors.add(new SyncRecord.AccountError(awsAccountId, "REGISTERED_SEPARATELY", why)));
        int verified = verify(changes.toVerify(), errors);
        Instant now = DbTime.now();
        tx.executeWithoutResult(s -> organizations.synced(organization.id(), snapshot.organizationId(), now));
        return new SyncRecord(syncId, organization.id(), SyncRecord.Trigger.MANUAL,
                errors.isEmpty() ? SyncRecord.Status.SUCCEEDED : SyncRecord.Status.PARTIAL, now, null, now,
                snapshot.members().size(), members.size(), changes.added().size(), changes.reactivated().size(),
                changes.removed().size(), changes.unchanged(), verified, calls, throttled, null, errors);
    }

    /**
     * The enabled accounts this organisation registered that its read did not list, yet Organizations still knows as
     * members (their tags can be read): moved from an OU not read yet to one read already, as the read goes parent by
     * parent. Deactivating them as LEFT_ORGANIZATION would stop their scans and mark their findings until the next
     * sync; they are left as they are instead. An account that did leave answers TargetNotFoundException.
     */
    private Set<String> movedWhileRead(OrganizationReader reader, UUID organizationId, OrganizationSnapshot snapshot) {
        Set<String> listed = new HashSet<>();
        snapshot.members().forEach(m -> listed.add(m.accountId()));
        Set<String> unplaced = new HashSet<>();
        for (AccountRef account : accounts.ofOrganization(organizationId)) {
            if (!account.enabled() || listed.contains(account.awsAccountId())) {
                continue;
            }
            try {
                reader.listTagsForResource(account.awsAccountId());
                unplaced.add(account.awsAccountId());
            } catch (OrganizationsException e) {
                if (!"TargetNotFoundException".equals(e.code())) {
                    throw e;
                }
            }
        }
        return unplaced;
    }

    /** The root and every OU, each with its path ending in its own id. */
    private static List<Organizations.Unit> units(OrganizationSnapshot snapshot) {
        List<Organizations.Unit> units = new ArrayList<>();
        units.add(new Organizations.Unit(snapshot.rootId(), snapshot.rootName(),
                snapshot.organizationId() + "/" + snapshot.rootId() + "/"));
        snapshot.units().values().forEach(u -> units.add(new Organizations.Unit(u.id(), u.name(),
                snapshot.pathOf(u.parentId()) + u.id() + "/")));
        return units;
    }

    /** The members to register, and why each other member is not (the management account has no reason: never ours). */
    record Scope(List<OrganizationSnapshot.Member> members, Map<String, Deactivation> outOfScope,
            List<SyncRecord.AccountError> problems) {
    }

    static Scope scope(OrganizationRecord organization, OrganizationSnapshot snapshot) {
        Set<String> chosen = new HashSet<>(organization.organizationalUnits());
        List<SyncRecord.AccountError> problems = new ArrayList<>();
        for (String id : organization.organizationalUnits()) {
            if (!id.equals(snapshot.rootId()) && !snapshot.units().containsKey(id)) {
                problems.add(new SyncRecord.AccountError(null, "OU_NOT_FOUND", "The organisation has no OU or root "
                        + id + ": no account is registered for it"));
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(snapshot.rootId());
        }
        Set<String> excluded = new HashSet<>(organization.excludeAccounts());
        List<OrganizationSnapshot.Member> members = new ArrayList<>();
        Map<String, Deactivation> outOfScope = new HashMap<>();
        for (OrganizationSnapshot.Member member : snapshot.members()) {
            if (member.accountId().equals(snapshot.managementAccountId())) {
                continue;
            }
            Deactivation reason = switch (member.state()) {
                case "ACTIVE" -> excluded.contains(member.accountId()) ? Deactivation.EXCLUDED
                        : OrganizationSnapshot.within(snapshot.pathOf(member.parentId()), chosen) ? null
                        : Deactivation.MOVED_OUT;
                case "SUSPENDED" -> Deactivation.SUSPENDED;
                case "PENDING_CLOSURE" -> Deactivation.PENDING_CLOSURE;
                case "CLOSED" -> Deactivation.CLOSED;
                // PENDING_ACTIVATION, or a state newer than this hub: not usable yet, so not registered.
                default -> Deactivation.SUSPENDED;
            };
            if (reason == null) {
                members.add(member);
            } else {
                outOfScope.put(member.accountId(), reason);
            }
        }
        return new Scope(members, outOfScope, problems);
    }

    /** Verifies the accounts a few at a time, each with its regions at once; returns how many connected. */
    private int verify(List<AccountRef> toVerify, List<SyncRecord.AccountError> errors) {
        if (toVerify.isEmpty()) {
            return 0;
        }
        UUID tenant = TenantContext.require();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(toVerify.size(),
                Math.max(1, properties.verificationsAtOnce())), r -> {
            Thread thread = new Thread(r, "organization-verification-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<SpokeVerification.Result>> results = toVerify.stream()
                    .map(a -> pool.submit(() -> TenantContext.callAs(tenant, () -> verification.verify(a.id()))))
                    .toList();
            int connected = 0;
            for (int i = 0; i < toVerify.size(); i++) {
                AccountRef account = toVerify.get(i);
                SpokeVerification.Result result;
                try {
                    result = results.get(i).get();
                } catch (ExecutionException e) {
                    // One account's verification is that account's error: the membership changes are committed, and
                    // the other accounts' verifications and the sync's record still count.
                    log.warn("Verification of account {} failed in the hub", account.id(), e.getCause());
                    errors.add(new SyncRecord.AccountError(account.awsAccountId(), "VERIFICATION_FAILED",
                            e.getCause() instanceof ApiException gone && gone.status().value() == 404
                                    ? "The account was removed while it was being verified"
                                    : "The hub could not verify the account: " + e.getCause().getClass().getSimpleName()));
                    continue;
                }
                if (result.status() == SpokeVerification.Status.CONNECTED) {
                    connected++;
                } else {
                    errors.add(new SyncRecord.AccountError(account.awsAccountId(), "VERIFICATION_FAILED",
                            firstFailure(result)));
                }
            }
            return connected;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String firstFailure(SpokeVerification.Result result) {
        return result.checks().stream().filter(c -> !c.ok()).findFirst()
                .map(c -> c.action() + " in " + c.region() + ": " + c.error())
                .orElse("no region of the account could be verified");
    }

    private static SyncRecord failed(UUID syncId, UUID organizationId, int calls, int throttled, String code,
            String message) {
        Instant now = DbTime.now();
        return new SyncRecord(syncId, organizationId, SyncRecord.Trigger.MANUAL, SyncRecord.Status.FAILED, now, null,
                now, 0, 0, 0, 0, 0, 0, 0, calls, throttled, new SyncRecord.Problem(code, message), List.of());
    }

    private static String code(OrganizationsException e) {
        return switch (e.code()) {
            case "AccessDeniedException" -> "ACCESS_DENIED";
            case "AWSOrganizationsNotInUseException" -> "NOT_IN_ORGANIZATION";
            case "TooManyRequestsException" -> "THROTTLED";
            default -> e.status() >= 500 || e.status() == 0 ? "UNAVAILABLE" : e.code();
        };
    }

    private static String message(OrganizationsException e) {
        return switch (e.code()) {
            case "AccessDeniedException" -> "AWS Organizations refused the reader role (is it in the management or a"
                    + " delegated administrator account, with org-reader-role.yaml's permissions?): " + e.getMessage();
            case "AWSOrganizationsNotInUseException" -> "The reader role's account is in no organisation: "
                    + e.getMessage();
            case "TooManyRequestsException" -> "AWS Organizations kept throttling after the hub backed off: "
                    + e.getMessage();
            default -> e.code() + ": " + e.getMessage();
        };
    }
}
