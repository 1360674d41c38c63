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
    /**
     * Targets, and warnings, of each scan in a list: an organisation's scan has up to 17,000 targets, and a page of
     * 500 such scans read whole would fill the heap. GET /scans/{id} has them all.
     */
    static final int LISTED_PER_SCAN = 20;

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
            @Nullable Instant finishedAt,
            @Schema(description = "Its targets; in a list at most " + LISTED_PER_SCAN + " of them, the FAILED ones"
                    + " first") List<TargetView> targets,
            @Schema(description = "Targets not in this answer (0 from GET /api/v1/scans/{id}, which has them all)")
            int targetsOmitted,
            Counts counts, Progress progress,
            @Schema(description = "Keys of its ended targets that could not be judged: their findings were left as"
                    + " they were") int undecidedKeys,
            @Schema(description = "The warnings of its ended targets, with the target each came from; in a list at most "
                    + LISTED_PER_SCAN) List<ScanWarning> warnings,
            @Schema(description = "Warnings not in this answer (0 from GET /api/v1/scans/{id}, which has them all)")
            int warningsOmitted) {
    }

    record TargetView(UUID accountId, String awsAccountId, String region, TargetStatus status, int keysScanned,
            @Nullable TargetError error,
            @Schema(description = "Keys that could not be judged: their findings were left as they were")
            int undecidedKeys,
            @Schema(description = "What AWS withheld: code (USAGE_UNKNOWN, METADATA_DENIED, TAGS_DENIED, ...), the"
                    + " first key's reason, and how many keys") List<TargetWarning> warnings) {
    }

    record ScanWarning(UUID accountId, String awsAccountId, String region, String code, String message, int keys) {

        static ScanWarning of(UUID accountId, String awsAccountId, String region, TargetWarning warning) {
            return new ScanWarning(accountId, awsAccountId, region, warning.code(), warning.message(), warning.keys());
        }
    }

    record Counts(int keys, int findingsOpened, int findingsResolved) {
    }

    record Progress(int targetsDone, int targetsTotal) {
    }

    @Transactional(readOnly = true)
    ScanView get(UUID scanId) {
        UUID tenant = TenantContext.require();
        ScanRow scan = scans.find(tenant, scanId).orElseThrow(() -> ApiException.notFound("Scan"));
        List<TargetRow> targets = scans.targets(tenant, Set.of(scanId)).getOrDefault(scanId, List.of());
        List<ScanWarning> warnings = targets.stream().flatMap(t -> t.warnings().stream()
                .map(w -> ScanWarning.of(t.accountId(), t.awsAccountId(), t.region(), w))).toList();
        return view(scan, targets, totalsOf(targets), warnings);
    }

    /**
     * A page of scans, each with its first {@link #LISTED_PER_SCAN} targets and warnings; its counts, progress and
     * undecided keys are added up in the database over all of its targets.
     */
    @Transactional(readOnly = true)
    Page<ScanView> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<ScanRow> rows = page(tenant, limit, cursor);
        Set<UUID> ids = rows.stream().limit(limit).map(ScanRow::id).collect(Collectors.toSet());
        Map<UUID, Scans.TargetTotals> totals = scans.targetTotals(tenant, ids);
        Map<UUID, List<TargetRow>> targets = scans.firstTargets(tenant, ids, LISTED_PER_SCAN);
        Map<UUID, List<Scans.WarningRow>> warnings = scans.firstWarnings(tenant, ids, LISTED_PER_SCAN);
        List<ScanView> views = rows.stream().map(r -> view(r, targets.getOrDefault(r.id(), List.of()),
                totals.getOrDefault(r.id(), Scans.TargetTotals.NONE),
                warnings.getOrDefault(r.id(), List.of()).stream()
                        .map(w -> ScanWarning.of(w.accountId(), w.awsAccountId(), w.region(), w.warning())).toList()))
                .toList();
        return Page.of(views, limit, s -> cursors.encode(scope(tenant), List.of(s.createdAt().toString(), s.id().toString())));
    }

    /** A scan as the dashboard lists it: its progress and counts, not its targets. */
    record ScanSummary(UUID id, ScanTrigger trigger, ScanStatus status, Instant createdAt, Counts counts,
            Progress progress) {
    }

    /** The same page of scans as {@link #list}, with its totals and none of its targets or warnings. */
    @Transactional(readOnly = true)
    Page<ScanSummary> summaries(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<ScanRow> rows = page(tenant, limit, cursor);
        Map<UUID, Scans.TargetTotals> totals = scans.targetTotals(tenant,
                rows.stream().limit(limit).map(ScanRow::id).collect(Collectors.toSet()));
        List<ScanSummary> summaries = rows.stream().map(r -> {
            Scans.TargetTotals t = totals.getOrDefault(r.id(), Scans.TargetTotals.NONE);
            return new ScanSummary(r.id(), r.trigger(), r.status(), r.createdAt(), counts(r, t),
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

    /** {@code targets} and {@code warnings} are all of the scan's or its first ones; {@code totals} cover them all. */
    private static ScanView view(ScanRow scan, List<TargetRow> targets, Scans.TargetTotals totals,
            List<ScanWarning> warnings) {
        return new ScanView(scan.id(), scan.trigger(), scan.status(), scan.createdAt(), scan.startedAt(), scan.finishedAt(),
                targets.stream().map(t -> new TargetView(t.accountId(), t.awsAccountId(), t.region(), t.status(),
                        t.keysScanned(), t.error(), t.undecidedKeys(), t.warnings())).toList(),
                totals.total() - targets.size(), counts(scan, totals), new Progress(totals.done(), totals.total()),
                totals.undecidedKeys(), warnings, totals.warnings() - warnings.size());
    }

    /** A running scan shows what its ended targets found so far; an ended one what was recorded when it ended. */
    private static Counts counts(ScanRow scan, Scans.TargetTotals totals) {
        return scan.status().active()
                ? new Counts(totals.keysScanned(), totals.findingsOpened(), totals.findingsResolved())
                : new Counts(scan.keys(), scan.findingsOpened(), scan.findingsResolved());
    }

    /** The totals of every target of a scan, read whole. */
    private static Scans.TargetTotals totalsOf(List<TargetRow> targets) {
        return new Scans.TargetTotals(targets.size(),
                (int) targets.stream().filter(t -> t.status() != TargetStatus.QUEUED && t.status() != TargetStatus.RUNNING).count(),
                targets.stream().mapToInt(TargetRow::keysScanned).sum(),
                targets.stream().mapToInt(TargetRow::findingsOpened).sum(),
                targets.stream().mapToInt(TargetRow::findingsResolved).sum(),
                targets.stream().mapToInt(TargetRow::undecidedKeys).sum(),
                targets.stream().mapToInt(t -> t.warnings().size()).sum());
    }

    private static String scope(UUID tenant) {
        return "scans:" + tenant;
    }
}
