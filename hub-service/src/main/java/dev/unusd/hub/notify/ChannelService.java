package dev.unusd.hub.notify;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.unusd.hub.account.AccountApi;
import dev.unusd.hub.db.DbTime;
import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.rule.Severity;
import dev.unusd.hub.web.ApiException;
import dev.unusd.hub.web.Cursors;
import dev.unusd.hub.web.FieldError;
import dev.unusd.hub.web.Page;

/** Creating, changing, testing and removing the tenant's notification channels; listing their deliveries. */
@Service
class ChannelService {

    static final int MAX_URL = 2048;
    static final int MAX_RECIPIENTS = 20;
    /** Deliberately plain: one @, no spaces or commas, a dot in the domain. The SMTP server has the last word. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,<>\"]{1,64}@[^@\\s,<>\"]+\\.[^@\\s,<>\"]+");

    private final NotificationChannels channels;
    private final NotificationDeliveries deliveries;
    private final SecretBox secrets;
    private final TargetGuard guard;
    private final ChannelSender sender;
    private final AccountApi accounts;
    private final Cursors cursors;

    ChannelService(NotificationChannels channels, NotificationDeliveries deliveries, SecretBox secrets,
            TargetGuard guard, ChannelSender sender, AccountApi accounts, Cursors cursors) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.guard = guard;
        this.sender = sender;
        this.accounts = accounts;
        this.cursors = cursors;
    }

    /** A channel just created: the webhook secret is shown this once. */
    record Created(Channel channel, @Nullable String secret) {
    }

    record TestResult(boolean delivered, @Nullable Integer statusCode, @Nullable String error) {
    }

    @Transactional
    Created create(ChannelType type, String name, String target, @Nullable List<String> events,
            @Nullable Severity minSeverity, @Nullable List<UUID> accountIds, @Nullable Boolean enabled) {
        secrets.requireKey();
        List<FieldError> errors = new ArrayList<>();
        String normalised = checkTarget(type, target, errors);
        List<String> subscribed = checkEvents(events == null ? List.of(NotificationEvent.SCAN_FINDINGS_CHANGED.wireName())
                : events, errors);
        List<UUID> scope = checkAccounts(accountIds, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        String secret = type == ChannelType.WEBHOOK ? WebhookSignature.newSecret() : null;
        Instant now = DbTime.now();
        Channel channel = new Channel(UUID.randomUUID(), TenantContext.require(), type, name,
                secrets.seal(normalised), mask(type, normalised), secret == null ? null : secrets.seal(secret),
                subscribed, minSeverity == null ? Severity.LOW : minSeverity, scope,
                enabled == null || enabled, null, null, now, now);
        channels.insert(channel);
        return new Created(channel, secret);
    }

    @Transactional(readOnly = true)
    Page<Channel> list(int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        List<Channel> rows;
        if (cursor == null) {
            rows = channels.page(tenant, null, null, limit + 1);
        } else {
            List<String> after = cursors.decode(scope(tenant), cursor, 2);
            rows = channels.page(tenant, Instant.parse(after.get(0)), UUID.fromString(after.get(1)), limit + 1);
        }
        return Page.of(rows, limit, c -> cursors.encode(scope(tenant), List.of(c.createdAt().toString(), c.id().toString())));
    }

    @Transactional(readOnly = true)
    Channel get(UUID id) {
        return owned(id);
    }

    /**
     * Changes what is given. {@code accounts}: an empty list means every account again. Enabling a channel the hub
     * disabled clears the reason.
     */
    @Transactional
    Channel update(UUID id, @Nullable String name, @Nullable String target, @Nullable List<String> events,
            @Nullable Severity minSeverity, @Nullable List<UUID> accountIds, @Nullable Boolean enabled) {
        Channel c = owned(id);
        List<FieldError> errors = new ArrayList<>();
        byte[] sealed = c.targetSealed();
        String hint = c.targetHint();
        if (target != null) {
            secrets.requireKey();
            String normalised = checkTarget(c.type(), target, errors);
            if (errors.isEmpty()) {
                sealed = secrets.seal(normalised);
                hint = mask(c.type(), normalised);
            }
        }
        List<String> subscribed = events == null ? c.events() : checkEvents(events, errors);
        List<UUID> scope = accountIds == null ? c.accounts() : checkAccounts(accountIds, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        boolean on = enabled == null ? c.enabled() : enabled;
        Instant now = DbTime.now();
        Channel changed = new Channel(c.id(), c.tenantId(), c.type(), name == null ? c.name() : name, sealed, hint,
                c.secretSealed(), subscribed, minSeverity == null ? c.minSeverity() : minSeverity, scope, on,
                on ? null : c.disabledReason(), on ? null : c.disabledAt(), c.createdAt(), now);
        channels.update(changed);
        return changed;
    }

    @Transactional
    void delete(UUID id) {
        if (!channels.delete(TenantContext.require(), id)) {
            throw ApiException.notFound("Notification channel");
        }
    }

    /**
     * Sends a sample now, outside the outbox and any transaction, and answers with what the receiver said. Nothing
     * is recorded; a disabled channel is tested too, so a team can check a fix before enabling it again.
     */
    TestResult test(Channel c) {
        String target = secrets.open(c.targetSealed());
        String secret = c.secretSealed() == null ? null : secrets.open(c.secretSealed());
        String data = "{\"channelId\":\"" + c.id() + "\",\"message\":\"" + DigestText.TEST_MESSAGE + "\"}";
        ChannelSender.Attempt attempt = sender.send(c.type(), target, secret, new ChannelSender.Event(UUID.randomUUID(),
                NotificationEvent.TEST.wireName(), c.tenantId(), DbTime.now(), data));
        return new TestResult(attempt.delivered(), attempt.statusCode(), attempt.error());
    }

    @Transactional(readOnly = true)
    Page<Delivery> deliveries(UUID channelId, int limit, @Nullable String cursor) {
        UUID tenant = TenantContext.require();
        owned(channelId);
        String scope = "notification-deliveries:" + tenant + ":" + channelId;
        List<Delivery> rows;
        if (cursor == null) {
            rows = deliveries.page(tenant, channelId, null, null, limit + 1);
        } else {
            List<String> before = cursors.decode(scope, cursor, 2);
            rows = deliveries.page(tenant, channelId, Instant.parse(before.get(0)), UUID.fromString(before.get(1)),
                    limit + 1);
        }
        return Page.of(rows, limit, d -> cursors.encode(scope, List.of(d.createdAt().toString(), d.id().toString())));
    }

    private Channel owned(UUID id) {
        return channels.find(TenantContext.require(), id).orElseThrow(() -> ApiException.notFound("Notification channel"));
    }

    private String checkTarget(ChannelType type, String target, List<FieldError> errors) {
        String t = target.strip();
        if (type.isUrl()) {
            if (t.length() > MAX_URL) {
                errors.add(new FieldError("target", "must be at most " + MAX_URL + " characters"));
                return t;
            }
            guard.refusal(t).ifPresent(reason -> errors.add(new FieldError("target", reason)));
            return t;
        }
        if (!sender.emailConfigured()) {
            errors.add(new FieldError("type", "email needs an SMTP server: this hub has no HUB_SMTP_HOST"));
        }
        List<String> addresses = Arrays.stream(t.split(",")).map(String::strip).toList();
        if (addresses.isEmpty() || addresses.size() > MAX_RECIPIENTS) {
            errors.add(new FieldError("target", "must be 1 to " + MAX_RECIPIENTS + " comma-separated email addresses"));
        } else if (!addresses.stream().allMatch(a -> a.length() <= 254 && EMAIL.matcher(a).matches())) {
            errors.add(new FieldError("target", "must be comma-separated email addresses"));
        } else if (new HashSet<>(addresses).size() != addresses.size()) {
            errors.add(new FieldError("target", "must not repeat an address"));
        }
        return String.join(",", addresses);
    }

    private static List<String> checkEvents(List<String> events, List<FieldError> errors) {
        for (String e : events) {
            if (NotificationEvent.subscribable(e).isEmpty()) {
                errors.add(new FieldError("events", "unknown event '" + e + "'; one of "
                        + NotificationEvent.SCAN_FINDINGS_CHANGED.wireName() + ", "
                        + NotificationEvent.ACCOUNT_ACCESS_BROKEN.wireName() + ", "
                        + NotificationEvent.REPORT_WEEKLY.wireName()));
            }
        }
        if (new HashSet<>(events).size() != events.size()) {
            errors.add(new FieldError("events", "must not repeat an event"));
        }
        return List.copyOf(events);
    }

    /** Only the tenant's own accounts: another tenant's id reads as unknown, as it does everywhere. */
    private @Nullable List<UUID> checkAccounts(@Nullable List<UUID> ids, List<FieldError> errors) {
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        for (UUID id : ids) {
            if (accounts.find(id).isEmpty()) {
                errors.add(new FieldError("accounts", "unknown account " + id));
            }
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            errors.add(new FieldError("accounts", "must not repeat an account"));
        }
        return List.copyOf(ids);
    }

    /** Enough to recognise a target, never enough to use it: a Slack URL's token is its path. */
    static String mask(ChannelType type, String target) {
        if (type == ChannelType.EMAIL) {
            return String.join(",", Arrays.stream(target.split(",")).map(a -> {
                int at = a.indexOf('@');
                return a.charAt(0) + "***" + a.substring(at);
            }).toList());
        }
        URI uri = URI.create(target);
        String path = Optional.ofNullable(uri.getRawPath()).orElse("") + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String tail = path.length() >= 16 ? path.substring(path.length() - 4) : "";
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + "/****" + tail;
    }

    private static String scope(UUID tenant) {
        return "notification-channels:" + tenant;
    }
}
