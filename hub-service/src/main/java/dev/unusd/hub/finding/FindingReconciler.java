package dev.unusd.hub.finding;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.access.AccessDocument;
import dev.unusd.hub.access.KeyPolicyAndGrants;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.fault.CrashPoints;
import dev.unusd.hub.kms.KeyMetadata;
import dev.unusd.hub.kms.KeySnapshot;
import dev.unusd.hub.kms.RefusedUse;
import dev.unusd.hub.kms.RegionSnapshot;
import dev.unusd.hub.kms.StoredKey;
import dev.unusd.hub.kms.Usage;
import dev.unusd.hub.kms.UsageSource;
import dev.unusd.hub.kms.UsageSpans;
import dev.unusd.hub.kms.UsageStatus;
import dev.unusd.hub.rule.FindingDraft;
import dev.unusd.hub.rule.KeyCost;
import dev.unusd.hub.rule.RuleSettings;
import dev.unusd.hub.rule.Rules;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brings the store in line with one successful scan of an (account, region), in a handful of set-based statements:
 * the snapshot's keys are upserted and the missing ones marked removed; findings that hold are upserted (keeping their
 * id; first seen reset only when a resolved finding comes back), SUPPRESSED for exempt keys and under an active suppression; findings no longer
 * produced are RESOLVED, except those a rule could not decide (unknown evidence resolves nothing). Every status change
 * is a finding_event of the scan, recorded once per (scan, finding, status), so running a target twice leaves one
 * run's result and the same counts. Runs in the caller's tenant context; never call it for a failed or skipped target.
 */
@Service
public class FindingReconciler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final CrashPoints crashPoints;

    FindingReconciler(JdbcClient jdbc, ApplicationEventPublisher events, CrashPoints crashPoints) {
        this.jdbc = jdbc;
        this.events = events;
        this.crashPoints = crashPoints;
    }

    /** Counts of this scan's transitions in the region: findings that became OPEN and that became RESOLVED. */
    public record Reconciled(int keys, int findingsOpened, int findingsResolved) {
    }

    /** What the store knows of each key of the region, by key id: the start of an incremental rescan. */
    @Transactional(readOnly = true)
    public Map<String, StoredKey> storedKeys(UUID accountId, String region) {
        Map<String, StoredKey> keys = new HashMap<>();
        jdbc.sql("""
                SELECT key_id, arn, state, deletion_date, metadata_read_at, removed_at IS NOT NULL AS removed,
                       usage_status, last_used_at, last_used_operation, last_used_source, last_used_event_id,
                       usage_searched::text AS searched, usage_checked_at, rotations, rotations_key_material_id,
                       refused_use::text AS refused_use, refused_checked_at
                FROM kms_keys WHERE account_id = :account AND region = :region""")
                .param("account", accountId).param("region", region)
                .query(rs -> {
                    Instant lastUsedAt = instant(rs.getObject("last_used_at", OffsetDateTime.class));
                    String source = rs.getString("last_used_source");
                    Usage.LastUse lastUse = lastUsedAt == null || source == null ? null
                            : new Usage.LastUse(lastUsedAt, String.valueOf(rs.getString("last_used_operation")),
                                    UsageSource.valueOf(source), rs.getString("last_used_event_id"));
                    Usage usage = new Usage(UsageStatus.valueOf(rs.getString("usage_status")), lastUse,
                            UsageSpans.parse(rs.getString("searched")),
                            instant(rs.getObject("usage_checked_at", OffsetDateTime.class)));
                    keys.put(rs.getString("key_id"), new StoredKey(rs.getString("arn"), rs.getString("state"),
                            instant(rs.getObject("deletion_date", OffsetDateTime.class)),
                            instant(rs.getObject("metadata_read_at", OffsetDateTime.class)), rs.getBoolean("removed"),
                            usage, (Integer) rs.getObject("rotations"), rs.getString("rotations_key_material_id"),
                            refusedUse(rs.getString("refused_use")),
                            instant(rs.getObject("refused_checked_at", OffsetDateTime.class))));
                });
        return keys;
    }

    @Transactional
    public Reconciled reconcile(UUID tenantId, UUID scanId, UUID accountId, String region, RegionSnapshot snapshot,
            RuleSettings settings, Rules.Judgement judgement) {
        // Every target of a tenant raises the tenant's findings version as its last write, so the tenant's reconciles
        // queue on that row until each commit: not waiting for the WAL flush there lets 1,000 targets of an
        // organisation pass one after another in microseconds, not a disk sync each. Durable all the same: the
        // target's result is recorded next with a synchronous commit, which flushes the WAL past this one; should
        // the database die before that, the target is still RUNNING and runs again.
        jdbc.sql("set local synchronous_commit = off").update();
        OffsetDateTime now = snapshot.collectedAt().atOffset(ZoneOffset.UTC);
        upsertKeys(tenantId, scanId, accountId, region, snapshot, settings, now);
        crashPoints.reached(CrashPoint.KEYS_UPSERTED);
        upsertFindings(tenantId, scanId, accountId, region, judgement.findings(), now);
        crashPoints.reached(CrashPoint.FINDINGS_UPSERTED);
        resolveTheRest(tenantId, scanId, accountId, region, judgement, now);
        // Counted before the version is raised: from that row lock to the commit the tenant's other targets wait.
        Reconciled counted = counts(scanId, accountId, region, snapshot.keys().size());
        events.publishEvent(new FindingsChanged(tenantId, accountId));
        crashPoints.reached(CrashPoint.FINDINGS_RESOLVED);
        return counted;
    }

    private void upsertKeys(UUID tenantId, UUID scanId, UUID accountId, String region, RegionSnapshot snapshot,
            RuleSettings settings, OffsetDateTime now) {
        List<Map<String, Object>> rows = new ArrayList<>(snapshot.keys().size());
        for (KeySnapshot key : snapshot.keys()) {
            rows.add(keyRow(key, settings));
        }
        String keys = JSON.writeValueAsString(rows);
        // What AWS withheld this time keeps its stored value (metadata, tags and exemption, rotation); usage knowledge
        // arrives merged with the stored one. A key whose metadata was withheld has no known cost (NULL).
        jdbc.sql("""
                INSERT INTO kms_keys AS k (tenant_id, account_id, region, key_id, arn, aliases, state, spec, key_usage,
                    origin, manager, multi_region, multi_region_type, aws_created_at, deletion_date, rotation_enabled,
                    rotation_period_days, next_rotation_at, rotations, rotations_key_material_id, last_used_at,
                    last_used_operation, last_used_source, last_used_event_id, usage_status, usage_checked_at,
                    usage_searched, unknown, tags, exempt, monthly_cost_usd, metadata_read_at, first_seen_at,
                    last_seen_at, removed_at, last_scan_id, key_policy, grants, access, access_read_at, refused_use,
                    refused_checked_at)
                SELECT :tenant, :account, :region, s.key_id, s.arn, s.aliases, s.state, s.spec, s.key_usage,
                    s.origin, s.manager, s.multi_region, s.multi_region_type, s.aws_created_at, s.deletion_date,
                    s.rotation_enabled, s.rotation_period_days, s.next_rotation_at, s.rotations,
                    s.rotations_key_material_id, s.last_used_at, s.last_used_operation, s.last_used_source,
                    s.last_used_event_id, s.usage_status, s.usage_checked_at, coalesce(s.usage_searched, '[]'),
                    s.unknown, s.tags, s.exempt, s.monthly_cost_usd,
                    CASE WHEN s.unknown ->> 'metadata' IS NULL THEN CAST(:now AS timestamptz) END, :now, :now, NULL,
                    :scan, s.key_policy, s.grants, s.access,
                    CASE WHEN s.access IS NOT NULL THEN CAST(:now AS timestamptz) END, s.refused_use,
                    s.refused_checked_at
                FROM jsonb_to_recordset(CAST(:keys AS jsonb)) AS s(key_id text, arn text, aliases text[], state text,
                    spec text, key_usage text, origin text, manager text, multi_region boolean,
                    multi_region_type text, aws_created_at timestamptz, deletion_date timestamptz,
                    rotation_enabled boolean, rotation_period_days int, next_rotation_at timestamptz, rotations int,
                    rotations_key_material_id text,
                    last_used_at timestamptz, last_used_operation text, last_used_source text,
                    last_used_event_id text, usage_status text, usage_checked_at timestamptz,
                    usage_searched jsonb, unknown jsonb, tags jsonb, exempt boolean,
                    monthly_cost_usd numeric, key_policy text, grants jsonb, access jsonb, refused_use jsonb,
                    refused_checked_at timestamptz)
                ON CONFLICT (account_id, region, key_id) DO UPDATE SET
                    arn = EXCLUDED.arn, aliases = EXCLUDED.aliases,
                    state = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.state ELSE k.state END,
                    spec = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.spec ELSE k.spec END,
                    key_usage = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.key_usage
                        ELSE k.key_usage END,
                    origin = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.origin ELSE k.origin END,
                    manager = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.manager ELSE k.manager END,
                    multi_region = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.multi_region
                        ELSE k.multi_region END,
                    multi_region_type = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.multi_region_type
                        ELSE k.multi_region_type END,
                    aws_created_at = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.aws_created_at
                        ELSE k.aws_created_at END,
                    deletion_date = CASE WHEN EXCLUDED.unknown ->> 'metadata' IS NULL THEN EXCLUDED.deletion_date
                        ELSE k.deletion_date END,
                    rotation_enabled = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['rotation', 'metadata'])
                        THEN k.rotation_enabled ELSE EXCLUDED.rotation_enabled END,
                    rotation_period_days = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['rotation', 'metadata'])
                        THEN k.rotation_period_days ELSE EXCLUDED.rotation_period_days END,
                    next_rotation_at = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['rotation', 'metadata'])
                        THEN k.next_rotation_at ELSE EXCLUDED.next_rotation_at END,
                    rotations = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['rotations', 'rotation', 'metadata'])
                        THEN k.rotations ELSE EXCLUDED.rotations END,
                    rotations_key_material_id = CASE
                        WHEN jsonb_exists_any(EXCLUDED.unknown, array['rotations', 'rotation', 'metadata'])
                        THEN k.rotations_key_material_id ELSE EXCLUDED.rotations_key_material_id END,
                    last_used_at = EXCLUDED.last_used_at, last_used_operation = EXCLUDED.last_used_operation,
                    last_used_source = EXCLUDED.last_used_source, last_used_event_id = EXCLUDED.last_used_event_id,
                    usage_status = EXCLUDED.usage_status, usage_checked_at = EXCLUDED.usage_checked_at,
                    usage_searched = EXCLUDED.usage_searched, unknown = EXCLUDED.unknown,
                    tags = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['tags', 'metadata']) THEN k.tags ELSE EXCLUDED.tags END,
                    exempt = CASE WHEN jsonb_exists_any(EXCLUDED.unknown, array['tags', 'metadata']) THEN k.exempt
                        ELSE EXCLUDED.exempt END,
                    monthly_cost_usd = EXCLUDED.monthly_cost_usd,
                    metadata_read_at = coalesce(EXCLUDED.metadata_read_at, k.metadata_read_at),
                    last_seen_at = EXCLUDED.last_seen_at,
                    removed_at = NULL, last_scan_id = EXCLUDED.last_scan_id,
                    key_policy = EXCLUDED.key_policy, grants = EXCLUDED.grants, access = EXCLUDED.access,
                    access_read_at = coalesce(EXCLUDED.access_read_at, k.access_read_at),
                    -- A scan that did not search CloudTrail for refused calls leaves what the last search found.
                    refused_use = CASE WHEN EXCLUDED.refused_checked_at IS NULL THEN k.refused_use
                        ELSE EXCLUDED.refused_use END,
                    refused_checked_at = coalesce(EXCLUDED.refused_checked_at, k.refused_checked_at)""")
                .param("tenant", tenantId).param("account", accountId).param("region", region)
                .param("now", now).param("scan", scanId).param("keys", keys)
                .update();
        List<String> present = snapshot.keys().stream().map(KeySnapshot::keyId).toList();
        jdbc.sql("""
                UPDATE kms_keys k SET removed_at = :now, last_scan_id = :scan
                WHERE k.account_id = :account AND k.region = :region AND k.removed_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(CAST(:present AS jsonb)) AS p(key_id)
                                  WHERE p.key_id = k.key_id)""")
                .param("now", now).param("scan", scanId).param("account", accountId).param("region", region)
                .param("present", JSON.writeValueAsString(present))
                .update();
    }

    private void upsertFindings(UUID tenantId, UUID scanId, UUID accountId, String region, List<FindingDraft> drafts,
            OffsetDateTime now) {
        List<Map<String, Object>> rows = new ArrayList<>(drafts.size());
        for (FindingDraft draft : drafts) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key_id", draft.keyId());
            row.put("type", draft.type().name());
            row.put("severity", draft.severity().name());
            row.put("severity_rank", draft.severity().rank());
            row.put("status", draft.suppressed() ? "SUPPRESSED" : "OPEN");
            row.put("title", draft.title());
            row.put("detail", draft.detail());
            row.put("evidence", draft.evidence());
            row.put("monthly_cost_usd", draft.monthlyCostUsd());
            row.put("remediation", draft.remediation());
            rows.add(row);
        }
        // "before" reads the statuses as they were when the statement began: a change of status is an event.
        jdbc.sql("""
                WITH draft AS (
                    -- An active suppression of the hub (V91) mutes an OPEN draft: one finding (key and type), every
                    -- finding of a key, or a type across the account. Expired ones no longer match, so the draft
                    -- is OPEN again.
                    SELECT k.id AS key_ref, d.key_id, d.type, d.severity, d.severity_rank,
                        CASE WHEN d.status = 'OPEN' AND EXISTS (
                                SELECT 1 FROM suppressions s
                                WHERE s.tenant_id = :tenant AND (s.expires_at IS NULL OR s.expires_at > :now)
                                  AND ((s.key_ref = k.id AND (s.type IS NULL OR s.type = d.type))
                                    OR (s.account_id = :account AND s.type = d.type)))
                            THEN 'SUPPRESSED' ELSE d.status END AS status,
                        d.title, d.detail, d.evidence, d.monthly_cost_usd, d.remediation
                    FROM jsonb_to_recordset(CAST(:drafts AS jsonb)) AS d(key_id text, type text, severity text,
                        severity_rank smallint, status text, title text, detail text, evidence jsonb,
                        monthly_cost_usd numeric, remediation jsonb)
                    JOIN kms_keys k ON k.account_id = :account AND k.region = :region AND k.key_id = d.key_id
                ), before AS (
                    SELECT f.id, f.status FROM findings f JOIN draft d ON f.key_ref = d.key_ref AND f.type = d.type
                ), upserted AS (
                    INSERT INTO findings AS f (tenant_id, key_ref, account_id, region, type, severity, severity_rank,
                        status, title, detail, evidence, monthly_cost_usd, remediation, first_seen_at, last_seen_at,
                        resolved_at, last_scan_id)
                    SELECT :tenant, key_ref, :account, :region, type, severity, severity_rank, status, title, detail,
                        evidence, monthly_cost_usd, remediation, :now, :now, NULL, :scan
                    FROM draft
                    ON CONFLICT (key_ref, type) DO UPDATE SET
                        status = EXCLUDED.status, severity = EXCLUDED.severity,
                        severity_rank = EXCLUDED.severity_rank, title = EXCLUDED.title, detail = EXCLUDED.detail,
                        evidence = EXCLUDED.evidence, monthly_cost_usd = EXCLUDED.monthly_cost_usd,
                        remediation = EXCLUDED.remediation,
                        first_seen_at = CASE WHEN f.status = 'RESOLVED' THEN EXCLUDED.first_seen_at
                            ELSE f.first_seen_at END,
                        last_seen_at = EXCLUDED.last_seen_at, resolved_at = NULL, last_scan_id = EXCLUDED.last_scan_id
                    RETURNING f.id, f.status
                )
                INSERT INTO finding_events (tenant_id, finding_id, scan_id, status, at)
                SELECT :tenant, u.id, :scan, u.status, :now
                FROM upserted u LEFT JOIN before b ON b.id = u.id
                WHERE b.status IS DISTINCT FROM u.status
                ON CONFLICT (scan_id, finding_id, status) DO NOTHING""")
                .param("tenant", tenantId).param("account", accountId).param("region", region)
                .param("now", now).param("scan", scanId).param("drafts", JSON.writeValueAsString(rows))
                .update();
    }

    private void resolveTheRest(UUID tenantId, UUID scanId, UUID accountId, String region, Rules.Judgement judgement,
            OffsetDateTime now) {
        List<Map<String, String>> keep = new ArrayList<>();
        judgement.findings().forEach(d -> keep.add(Map.of("key_id", d.keyId(), "type", d.type().name())));
        judgement.undecided().forEach(u -> keep.add(Map.of("key_id", u.keyId(), "type", u.type().name())));
        jdbc.sql("""
                WITH keep AS (
                    SELECT k.id AS key_ref, x.type
                    FROM jsonb_to_recordset(CAST(:keep AS jsonb)) AS x(key_id text, type text)
                    JOIN kms_keys k ON k.account_id = :account AND k.region = :region AND k.key_id = x.key_id
                ), resolved AS (
                    UPDATE findings f SET status = 'RESOLVED', resolved_at = :now, last_scan_id = :scan
                    WHERE f.account_id = :account AND f.region = :region AND f.status <> 'RESOLVED'
                      AND NOT EXISTS (SELECT 1 FROM keep WHERE keep.key_ref = f.key_ref AND keep.type = f.type)
                    RETURNING f.id
                )
                INSERT INTO finding_events (tenant_id, finding_id, scan_id, status, at)
                SELECT :tenant, id, :scan, 'RESOLVED', :now FROM resolved
                ON CONFLICT (scan_id, finding_id, status) DO NOTHING""")
                .param("tenant", tenantId).param("account", accountId).param("region", region)
                .param("now", now).param("scan", scanId).param("keep", JSON.writeValueAsString(keep))
                .update();
    }

    /** Read back from the scan's events, so a target run twice reports what one run did. */
    private Reconciled counts(UUID scanId, UUID accountId, String region, int keys) {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE e.status = 'OPEN' AND f.status = 'OPEN') AS opened,
                       count(*) FILTER (WHERE e.status = 'RESOLVED' AND f.status = 'RESOLVED') AS resolved
                FROM finding_events e JOIN findings f ON f.id = e.finding_id
                WHERE e.scan_id = :scan AND f.account_id = :account AND f.region = :region""")
                .param("scan", scanId).param("account", accountId).param("region", region)
                .query((rs, n) -> new Reconciled(keys, rs.getInt("opened"), rs.getInt("resolved")))
                .single();
    }

    private static Map<String, Object> keyRow(KeySnapshot key, RuleSettings settings) {
        Map<String, Object> row = new HashMap<>();
        row.put("key_id", key.keyId());
        row.put("arn", key.arn());
        row.put("aliases", key.aliases());
        KeyMetadata m = key.metadata();
        if (m != null) {
            row.put("state", m.state());
            row.put("spec", m.spec());
            row.put("key_usage", m.keyUsage());
            row.put("origin", m.origin());
            row.put("manager", m.manager());
            row.put("multi_region", m.multiRegion());
            row.put("multi_region_type", m.multiRegionType());
            row.put("aws_created_at", text(m.createdAt()));
            row.put("deletion_date", text(m.deletionDate()));
        }
        KeySnapshot.Rotation rotation = key.rotation();
        if (rotation != null) {
            row.put("rotation_enabled", rotation.enabled());
            row.put("rotation_period_days", rotation.periodDays());
            row.put("next_rotation_at", text(rotation.nextRotationAt()));
            row.put("rotations", rotation.rotations());
            row.put("rotations_key_material_id", rotation.rotationsAtKeyMaterial());
        }
        Usage usage = key.usage();
        Usage.LastUse last = usage.lastUse();
        if (last != null) {
            row.put("last_used_at", text(last.at()));
            row.put("last_used_operation", last.operation());
            row.put("last_used_source", last.source().name());
            row.put("last_used_event_id", last.cloudTrailEventId());
        }
        row.put("usage_status", usage.status().name());
        row.put("usage_checked_at", text(usage.checkedAt()));
        row.put("usage_searched", usage.searched().asLists());
        row.put("unknown", key.unknown());
        row.put("tags", key.tags());
        row.put("exempt", settings.exempts(key.tags()));
        row.put("monthly_cost_usd", KeyCost.monthlyUsd(key));
        if (key.refusedCheckedAt() != null) {
            row.put("refused_checked_at", text(key.refusedCheckedAt()));
            row.put("refused_use", key.refusedUse());
        }
        if (key.customerManaged()) {
            // Who can use the key, as of this scan and the tenant's trust at this scan (GET /keys/{id} "access").
            KeyPolicyAndGrants access = key.access();
            row.put("key_policy", access.policy());
            row.put("grants", access.grants());
            row.put("access", AccessDocument.summary(access.access(), settings.trustFor(key.awsAccountId())));
        }
        return row;
    }

    private static @Nullable String text(@Nullable Instant at) {
        return at == null ? null : at.toString();
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    /** kms_keys.refused_use as {@link #keyRow} wrote it. */
    private static @Nullable RefusedUse refusedUse(@Nullable String json) {
        return json == null ? null : JSON.readValue(json, RefusedUse.class);
    }
}
