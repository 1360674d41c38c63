package dev.unusd.hub.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.unusd.hub.scan.ScanFinished;
import tools.jackson.databind.json.JsonMapper;

/**
 * When a scan ends, in the transaction that finalises it: per account of the scan, whether the hub could get in.
 * An account with a target refused by STS or by a missing permission is broken; one with a target that succeeded and
 * none refused works; anything else (throttling, AWS errors) says nothing about access. A change from what was last
 * told is an {@code account.access_broken} event: once when it breaks, once when it works again.
 */
@Component
class AccountAccessWatch {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ACCESS_ERRORS = List.of("ASSUME_ROLE_DENIED", "ACCESS_DENIED");

    private final JdbcClient jdbc;
    private final NotificationChannels channels;
    private final Outbox outbox;
    private final String publicUrl;

    AccountAccessWatch(JdbcClient jdbc, NotificationChannels channels, Outbox outbox,
            @Value("${hub.public-url}") String publicUrl) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.outbox = outbox;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    private record Target(UUID accountId, String awsAccountId, String accountName, String region, String status,
            @Nullable String errorCode, @Nullable String message) {
    }

    @EventListener
    void onScanFinished(ScanFinished scan) {
        Map<UUID, List<Target>> byAccount = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT t.account_id, a.aws_account_id, a.name, t.region, t.status, t.error_code, t.error_message
                  FROM scan_targets t JOIN accounts a ON a.id = t.account_id
                 WHERE t.scan_id = :scan ORDER BY a.aws_account_id, t.region""")
                .param("scan", scan.scanId())
                .query((rs, i) -> new Target(rs.getObject("account_id", UUID.class), rs.getString("aws_account_id"),
                        rs.getString("name"), rs.getString("region"), rs.getString("status"),
                        rs.getString("error_code"), rs.getString("error_message")))
                .list().forEach(t -> byAccount.computeIfAbsent(t.accountId(), k -> new ArrayList<>()).add(t));
        List<Channel> subscribers = null;
        for (List<Target> targets : byAccount.values()) {
            List<Target> refused = targets.stream().filter(t -> t.errorCode() != null && ACCESS_ERRORS.contains(t.errorCode())).toList();
            List<Target> succeeded = targets.stream().filter(t -> t.status().equals("SUCCEEDED")).toList();
            Boolean broken = !refused.isEmpty() ? Boolean.TRUE : !succeeded.isEmpty() ? Boolean.FALSE : null;
            if (broken == null) {
                continue;
            }
            Target first = targets.get(0);
            Optional<Boolean> told = lastTold(first.accountId());
            // An account that has always worked is not news; one that worked before and breaks, or breaks at its
            // first scan, is; so is one that was told broken and works again.
            boolean news = told.isEmpty() ? broken : told.get() != broken;
            String code = broken ? refused.get(0).errorCode() : null;
            remember(scan, first.accountId(), broken, code);
            if (!news) {
                continue;
            }
            if (subscribers == null) {
                subscribers = channels.subscribers(scan.tenantId(), NotificationEvent.ACCOUNT_ACCESS_BROKEN);
            }
            List<String> regions = (broken ? refused : succeeded).stream().map(Target::region).toList();
            AccountAccess access = new AccountAccess(first.accountId(), first.awsAccountId(), first.accountName(),
                    broken, code, broken ? refused.get(0).message() : null, regions, scan.scanId(), scan.finishedAt(),
                    publicUrl + "/api/v1/accounts/" + first.accountId());
            UUID eventId = UUID.randomUUID();
            for (Channel channel : subscribers) {
                if (channel.accounts() == null || channel.accounts().contains(first.accountId())) {
                    outbox.enqueue(channel, eventId, NotificationEvent.ACCOUNT_ACCESS_BROKEN, scan.finishedAt(),
                            JSON.writeValueAsString(access));
                }
            }
        }
    }

    private Optional<Boolean> lastTold(UUID accountId) {
        return jdbc.sql("SELECT broken FROM notification_account_access WHERE account_id = ?").param(accountId)
                .query(Boolean.class).optional();
    }

    private void remember(ScanFinished scan, UUID accountId, boolean broken, @Nullable String code) {
        jdbc.sql("""
                INSERT INTO notification_account_access (account_id, tenant_id, broken, error_code, changed_at, scan_id)
                VALUES (:account, :tenant, :broken, :code, :at, :scan)
                ON CONFLICT (account_id) DO UPDATE SET broken = EXCLUDED.broken, error_code = EXCLUDED.error_code,
                    changed_at = CASE WHEN notification_account_access.broken = EXCLUDED.broken
                        THEN notification_account_access.changed_at ELSE EXCLUDED.changed_at END,
                    scan_id = EXCLUDED.scan_id""")
                .param("account", accountId).param("tenant", scan.tenantId()).param("broken", broken)
                .param("code", code).param("at", scan.finishedAt().atOffset(java.time.ZoneOffset.UTC))
                .param("scan", scan.scanId())
                .update();
    }
}
