package dev.unusd.hub.notify;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.unusd.hub.rule.FindingType;
import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.scan.ScanFinished;
import tools.jackson.databind.json.JsonMapper;

/**
 * When a scan ends, in the transaction that finalises it: reads what the scan changed from its finding events and
 * puts one digest per subscribed channel in the outbox, shaped by the channel's filters. A channel whose filters
 * leave nothing gets nothing, and a scan that changed nothing sends nothing at all.
 */
@Component
class ScanDigests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Comparator<ScanDigest.Change> MOST_PRESSING = Comparator
            .comparing((ScanDigest.Change c) -> c.change() == ScanDigest.ChangeKind.RESOLVED)
            .thenComparing(c -> -Severity.valueOf(c.severity()).rank())
            .thenComparing(ScanDigest.Change::monthlyCostUsd, Comparator.reverseOrder())
            .thenComparing(ScanDigest.Change::awsAccountId).thenComparing(ScanDigest.Change::region)
            .thenComparing(ScanDigest.Change::keyId).thenComparing(ScanDigest.Change::type);

    private final JdbcClient jdbc;
    private final NotificationChannels channels;
    private final Outbox outbox;
    private final NotifyProperties properties;
    private final String publicUrl;

    ScanDigests(JdbcClient jdbc, NotificationChannels channels, Outbox outbox, NotifyProperties properties,
            @Value("${hub.public-url}") String publicUrl) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.outbox = outbox;
        this.properties = properties;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    @EventListener
    void onScanFinished(ScanFinished scan) {
        List<Channel> subscribers = channels.subscribers(scan.tenantId(), NotificationEvent.SCAN_FINDINGS_CHANGED);
        if (subscribers.isEmpty()) {
            return;
        }
        List<ScanDigest.Change> changes = changes(scan.scanId());
        if (changes.isEmpty()) {
            return;
        }
        // One event id for the scan: every channel's receiver sees the same id for the same news.
        UUID eventId = UUID.randomUUID();
        for (Channel channel : subscribers) {
            List<ScanDigest.Change> seen = changes.stream().filter(c -> heardBy(channel, c)).toList();
            if (!seen.isEmpty()) {
                outbox.enqueue(channel, eventId, NotificationEvent.SCAN_FINDINGS_CHANGED, scan.finishedAt(),
                        JSON.writeValueAsString(digest(scan, seen)));
            }
        }
    }

    private static boolean heardBy(Channel channel, ScanDigest.Change change) {
        return Severity.valueOf(change.severity()).rank() >= channel.minSeverity().rank()
                && (channel.accounts() == null || channel.accounts().contains(change.accountId()));
    }

    ScanDigest digest(ScanFinished scan, List<ScanDigest.Change> changes) {
        ScanDigest.Counts none = new ScanDigest.Counts(0, 0, 0);
        ScanDigest.Counts total = none;
        Map<String, ScanDigest.Counts> byType = new LinkedHashMap<>();
        for (FindingType t : FindingType.values()) {
            byType.put(t.name(), none);
        }
        Map<String, ScanDigest.Counts> bySeverity = new LinkedHashMap<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            bySeverity.put(s.name(), none);
        }
        BigDecimal opened = BigDecimal.ZERO.setScale(2);
        BigDecimal savings = BigDecimal.ZERO.setScale(2);
        BigDecimal resolved = BigDecimal.ZERO.setScale(2);
        Set<UUID> accounts = new HashSet<>();
        Set<String> regions = new HashSet<>();
        for (ScanDigest.Change c : changes) {
            total = total.plus(c.change());
            byType.merge(c.type(), none.plus(c.change()), (a, b) -> a.plus(c.change()));
            bySeverity.merge(c.severity(), none.plus(c.change()), (a, b) -> a.plus(c.change()));
            if (c.change() == ScanDigest.ChangeKind.RESOLVED) {
                resolved = resolved.add(c.monthlyCostUsd());
            } else {
                opened = opened.add(c.monthlyCostUsd());
                if (c.type().equals(FindingType.KEY_UNUSED.name())) {
                    savings = savings.add(c.monthlyCostUsd());
                }
            }
            accounts.add(c.accountId());
            regions.add(c.awsAccountId() + "/" + c.region());
        }
        List<ScanDigest.Change> top = changes.stream().sorted(MOST_PRESSING).limit(properties.topFindings()).toList();
        return new ScanDigest(scan.scanId(), scan.status().name(), scan.finishedAt(), total, byType, bySeverity, opened,
                savings, resolved, accounts.size(), regions.size(), top, changes.size() - top.size(),
                publicUrl + "/api/v1/scans/" + scan.scanId());
    }

    /**
     * Findings whose status this scan changed and that still have it (a target run twice leaves one run's result),
     * against what earlier digests told of each: its last OPEN or RESOLVED event before this scan, once it has had an
     * OPEN one. Muting and unmuting (SUPPRESSED) are the tenant's own doing and no news, so a finding open, muted and
     * open again is in no digest; one never open before was never told: it opens now, or its resolving is no news.
     */
    List<ScanDigest.Change> changes(UUID scanId) {
        return jdbc.sql("""
                SELECT f.id, e.status AS event_status, told.status AS told_status,
                       f.type, f.severity, f.title, k.key_id, k.aliases[1] AS alias, f.account_id, a.aws_account_id,
                       a.name AS account_name, f.region, f.monthly_cost_usd, f.remediation::text AS remediation
                  FROM finding_events e
                  JOIN findings f ON f.id = e.finding_id AND f.status = e.status
                  JOIN kms_keys k ON k.id = f.key_ref
                  JOIN accounts a ON a.id = f.account_id
                  JOIN LATERAL (SELECT CASE WHEN bool_or(p.status = 'OPEN')
                                            THEN (array_agg(p.status ORDER BY p.id DESC))[1] END AS status
                                  FROM finding_events p
                                 WHERE p.finding_id = e.finding_id AND p.id < e.id
                                   AND p.status IN ('OPEN', 'RESOLVED') AND p.scan_id IS DISTINCT FROM e.scan_id) told
                       ON true
                 WHERE e.scan_id = :scan
                   AND (e.status = 'OPEN' AND told.status IS DISTINCT FROM 'OPEN'
                        OR e.status = 'RESOLVED' AND told.status = 'OPEN')""")
                .param("scan", scanId)
                .query((rs, i) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    ScanDigest.ChangeKind kind = rs.getString("event_status").equals("RESOLVED")
                            ? ScanDigest.ChangeKind.RESOLVED
                            : rs.getString("told_status") == null ? ScanDigest.ChangeKind.OPENED
                                    : ScanDigest.ChangeKind.REOPENED;
                    return new ScanDigest.Change(id, kind, rs.getString("type"), rs.getString("severity"),
                            rs.getString("title"), rs.getString("key_id"), rs.getString("alias"),
                            rs.getObject("account_id", UUID.class), rs.getString("aws_account_id"),
                            rs.getString("account_name"), rs.getString("region"), rs.getBigDecimal("monthly_cost_usd"),
                            List.of(JSON.readValue(rs.getString("remediation"), String[].class)),
                            publicUrl + "/api/v1/findings/" + id);
                })
                .list();
    }
}
