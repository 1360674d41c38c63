package dev.unusd.hub.kms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Why no recent scan vouches for a key or finding any more, and when a scan of its account-region last succeeded. Set
 * while its account is disabled or its region out of the account's scans, and after its region's latest scan failed
 * or found the region not enabled; also after the account is enabled again or the region put back, until a scan of it
 * ends. Presentation only: the finding keeps the status its last successful scan judged.
 */
@Schema(name = "Unverified")
public record Unverified(
        Reason reason,
        @Schema(description = "When a scan of the account-region last succeeded; null if none ever did")
        @Nullable Instant lastVerifiedAt) {

    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public enum Reason {
        /** The account is disabled (by the tenant or an organisation's sync), or was since its region's last scan. */
        ACCOUNT_DISABLED("the account is disabled, or was since"),
        /** The region is not in the account's region list, or was taken out of it since its last scan. */
        REGION_NOT_SCANNED("the region is not in the account's scans, or was taken out since"),
        /** The account has not enabled the region: its latest scan was SKIPPED. */
        REGION_NOT_ENABLED("the account no longer has the region enabled"),
        /** Its latest scan FAILED (role not assumable, access denied, throttled, AWS error...). */
        LAST_SCAN_FAILED("the latest scan of its region failed");

        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    /** For the dashboard: "not verified since 2026-05-01 14:03 UTC: the latest scan of its region failed". */
    public String text() {
        return (lastVerifiedAt == null ? "never verified by a scan" : "not verified since " + SINCE.format(lastVerifiedAt))
                + ": " + reason.words;
    }

    /** Joins an account-region's coverage (alias {@code c}) to rows of {@code table} carrying account_id and region. */
    public static String join(String table) {
        return "LEFT JOIN region_coverage c ON c.account_id = " + table + ".account_id AND c.region = " + table
                + ".region";
    }

    /**
     * The reason as SQL text, NULL when verified: of rows of {@code table} joined to their account (alias {@code a})
     * and coverage ({@link #join}).
     */
    public static String reasonSql(String table) {
        return "hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at, " + table
                + ".region, c.status, c.error_code, c.finished_at)";
    }

    /** The columns {@link #read} reads, for a select list. */
    public static String columns(String table) {
        return reasonSql(table) + " AS unverified_reason, c.last_succeeded_at AS last_verified_at";
    }

    /** The mark of a row that selected {@link #columns}. */
    public static @Nullable Unverified read(ResultSet rs) throws SQLException {
        String reason = rs.getString("unverified_reason");
        if (reason == null) {
            return null;
        }
        OffsetDateTime at = rs.getObject("last_verified_at", OffsetDateTime.class);
        return new Unverified(Reason.valueOf(reason), at == null ? null : at.toInstant());
    }
}
