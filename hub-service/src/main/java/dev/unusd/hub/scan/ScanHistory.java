package dev.unusd.hub.scan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.Scans.ScanRow;
import dev.unusd.hub.scan.Scans.TargetRow;
import dev.unusd.hub.scan.TargetResult.TargetError;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.Page;
import io.swagger.v3.oas.annotations.media.Schema;

/** Reading scans for the API, and purging those older than the retention period. */
@Service
class ScanHistory {

    private static final Logger log = LoggerFactory.getLogger(ScanHistory.class);
    private static final int PURGE_BATCH = 1000;

    private final Scans scans;
    private final Cursors cursors;
    private final JdbcClient jdbc;
    private final ScanProperties properties;

    ScanHistory(Scans scans, Cursors cursors, JdbcClient jdbc, ScanProperties properties) {
        this.scans = scans;
        this.cursors = cursors;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    record ScanView(UUID id, ScanTrigger trigger, ScanStatus status, Instant createdAt, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, List<TargetView> targets, Counts counts, Progress progress,
            @Schema(description = "Keys of its ended targets that could not be judged: their findings were left as"
                    + " they were") int undecidedKeys,
            @Schema(description = "Every warning of its ended targets, with the target it came from")
            List<ScanWarning> warnings) {
    }

    record TargetView(UUID accountId, String awsAccountId, String region, TargetStatus status, int keysScanned,
            @Nullable TargetError error,
            @Schema(description = "Keys that could not be judged: their findings were left as they were")
            int undecidedKeys,
            @Schema(description = "What AWS withheld: code (USAGE_UNKNOWN, METADATA_DENIED, TAGS_DENIED, ...), the"
                    + " first key's reason, and how many keys") List<TargetWarning> warnings) {
    }

    record ScanWarning(UUID accountId, String awsAccountId, String region, String code, String message, int keys) {
    }

    record Counts(int keys, int findingsOpened, int findingsResolved) {
    }

    record Progress(int targetsDone, int targetsTotal) {
    }

    @Transactional(readOnly = true)
    ScanView get(UUID scanId) {
        UUID tenant = TenantContext.require();
        ScanRow scan = scans.find(tenant, scanId).orElseThrow(() -> ApiException.notFound("Scan"));
        return view(scan, scans.targets(tenant, Set.of(scanId)).getOrDefault(scanId, List.of()));
    }

    @Transactional(readOnly = true)
    Page<ScanView> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<ScanRow> rows = page(tenant, limit, cursor);
        Map<UUID, List<TargetRow>> targets = scans.targets(tenant,
                rows.stream().limit(limit).map(ScanRow::id).collect(Collectors.toSet()));
        List<ScanView> views = rows.stream().map(r -> view(r, targets.getOrDefault(r.id(), List.of()))).toList();
        return Page.of(views, limit, s -> cursors.encode(scope(tenant), List.of(s.createdAt().toString(), s.id().toString())));
    }

    /** A scan as the dashboard lists it: its progress and counts, not its targets. */
    record ScanSummary(UUID id, ScanTrigger trigger, ScanStatus status, Instant createdAt, Counts counts,
            Progress progress) {
    }

    /**
     * The same page of scans as {@link #list}, each with its targets added up in the database: a list of 20 scans of
     * an organisation would otherwise read 20 times its account-regions.
     */
    @Transactional(readOnly = true)
    Page<ScanSummary> summaries(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<ScanRow> rows = page(tenant, limit, cursor);
        Map<UUID, Scans.TargetTotals> totals = scans.targetTotals(tenant,
                rows.stream().limit(limit).map(ScanRow::id).collect(Collectors.toSet()));
        List<ScanSummary> summaries = rows.stream().map(r -> {
            Scans.TargetTotals t = totals.getOrDefault(r.id(), new Scans.TargetTotals(0, 0, 0, 0, 0));
            // As in view(): a running scan shows what its ended targets found so far, an ended one what it recorded.
            Counts counts = r.status().active()
                    ? new Counts(t.keysScanned(), t.findingsOpened(), t.findingsResolved())
                    : new Counts(r.keys(), r.findingsOpened(), r.findingsResolved());
            return new ScanSummary(r.id(), r.trigger(), r.status(), r.createdAt(), counts,
                    new Progress(t.done(), t.total()));
        }).toList();
        return Page.of(summaries, limit,
                s -> cursors.encode(scope(tenant), List.of(s.createdAt().toString(), s.id().toString())));
    }

    /** The scans of one page, newest first, and one more when there is a next page. */
    private List<ScanRow> page(UUID tenant, int limit, @Nullable String cursor) {
        if (cursor == null) {
            return scans.page(tenant, null, null, limit + 1);
        }
        List<String> after = cursors.decode(scope(tenant), cursor, 2);
        return scans.page(tenant, Instant.parse(after.get(0)), UUID.fromString(after.get(1)), limit + 1);
    }

    /** Deletes ended scans older than the retention period, in batches so no statement holds locks for long. */
    void purge() {
        Instant before = Instant.now().minus(Duration.ofDays(properties.retentionDays()));
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("select hub_purge_scans(?, ?)").params(java.sql.Timestamp.from(before), PURGE_BATCH)
                    .query(Integer.class).single();
            total += deleted;
        } while (deleted == PURGE_BATCH);
        if (total > 0) {
            log.info("Purged {} scans that ended before {}", total, before);
        }
    }

    private static ScanView view(ScanRow scan, List<TargetRow> targets) {
        int done = (int) targets.stream().filter(t -> t.status() != TargetStatus.QUEUED && t.status() != TargetStatus.RUNNING).count();
        // A running scan shows what its ended targets found so far; an ended one what was recorded when it ended.
        Counts counts = scan.status().active()
                ? new Counts(targets.stream().mapToInt(TargetRow::keysScanned).sum(),
                        targets.stream().mapToInt(TargetRow::findingsOpened).sum(),
                        targets.stream().mapToInt(TargetRow::findingsResolved).sum())
                : new Counts(scan.keys(), scan.findingsOpened(), scan.findingsResolved());
        List<ScanWarning> warnings = targets.stream().flatMap(t -> t.warnings().stream().map(w -> new ScanWarning(
                t.accountId(), t.awsAccountId(), t.region(), w.code(), w.message(), w.keys()))).toList();
        return new ScanView(scan.id(), scan.trigger(), scan.status(), scan.createdAt(), scan.startedAt(), scan.finishedAt(),
                targets.stream().map(t -> new TargetView(t.accountId(), t.awsAccountId(), t.region(), t.status(),
                        t.keysScanned(), t.error(), t.undecidedKeys(), t.warnings())).toList(),
                counts, new Progress(done, targets.size()), targets.stream().mapToInt(TargetRow::undecidedKeys).sum(),
                warnings);
    }

    private static String scope(UUID tenant) {
        return "scans:" + tenant;
    }
}
