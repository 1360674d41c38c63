package dev.unusd.hub.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends one event to one channel, once: renders it in the channel's format and reports how the receiver answered.
 * Retrying is the caller's business. Targets and secrets are never logged nor put into the errors it reports.
 */
@Component
class ChannelSender {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ANSWER_BYTES = 300;
    /** Cancels exchanges that outlive their deadline; one daemon thread for the hub. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("notify-deadlines").daemon().factory());

    /** How the receiver answered: an HTTP status, or none when it could not be reached. */
    record Attempt(@Nullable Integer statusCode, @Nullable String error, @Nullable Duration retryAfter) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        /** The receiver says this target no longer exists: retrying cannot help. */
        boolean gone() {
            return statusCode != null && (statusCode == 404 || statusCode == 410);
        }
    }

    /** An event as every format needs it. */
    record Event(UUID id, String type, UUID tenantId, Instant occurredAt, String data) {
    }

    private final TargetGuard guard;
    private final NotifyProperties properties;
    private final CloseableHttpClient http;
    private final @Nullable JavaMailSenderImpl mail;

    ChannelSender(TargetGuard guard, NotifyProperties properties) {
        this.guard = guard;
        this.properties = properties;
        Timeout connect = Timeout.of(properties.connectTimeout());
        Timeout answer = Timeout.of(properties.requestTimeout());
        // Hosts resolve through the guard, once per connection, and the connection goes to the addresses it vetted.
        // No proxy from system properties (it would resolve the host itself); redirects are not followed: a receiver
        // could otherwise point the hub anywhere the guard refused. Retrying is the delivery task's business.
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard.resolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setSocketTimeout(answer).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(answer)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        this.mail = properties.smtp().configured() ? mailSender(properties.smtp()) : null;
    }

    boolean emailConfigured() {
        return mail != null;
    }

    Attempt send(ChannelType type, String target, @Nullable String secret, Event event) {
        NotificationEvent kind = NotificationEvent.ofWireName(event.type());
        return switch (type) {
            case WEBHOOK -> post(target, webhookBody(event), event, secret);
            case SLACK -> post(target, switch (kind) {
                case TEST -> SlackMessage.test();
                case SCAN_FINDINGS_CHANGED -> SlackMessage.digest(digest(event));
                case ACCOUNT_ACCESS_BROKEN -> SlackMessage.access(access(event));
                case REPORT_WEEKLY -> SlackMessage.weekly(weekly(event));
            }, event, null);
            case TEAMS -> post(target, switch (kind) {
                case TEST -> TeamsMessage.test();
                case SCAN_FINDINGS_CHANGED -> TeamsMessage.digest(digest(event));
                case ACCOUNT_ACCESS_BROKEN -> TeamsMessage.access(access(event));
                case REPORT_WEEKLY -> TeamsMessage.weekly(weekly(event));
            }, event, null);
            case EMAIL -> email(target, switch (kind) {
                case TEST -> EmailMessage.test();
                case SCAN_FINDINGS_CHANGED -> EmailMessage.digest(digest(event));
                case ACCOUNT_ACCESS_BROKEN -> EmailMessage.access(access(event));
                case REPORT_WEEKLY -> EmailMessage.weekly(weekly(event));
            });
        };
    }

    /** {@code {id, type, tenantId, occurredAt, data}}: the envelope docs/api.md documents. */
    static String webhookBody(Event event) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", event.id().toString());
        body.put("type", event.type());
        body.put("tenantId", event.tenantId().toString());
        body.put("occurredAt", event.occurredAt().toString());
        body.set("data", JSON.readTree(event.data()));
        return JSON.writeValueAsString(body);
    }

    private Attempt post(String url, String body, Event event, @Nullable String secret) {
        Optional<String> refused = guard.formRefusal(url);
        if (refused.isPresent()) {
            return new Attempt(null, "target refused: " + refused.get(), null);
        }
        HttpPost request = new HttpPost(URI.create(url));
        request.setHeader("User-Agent", "unusd-hub");
        // The idempotency key on every channel, the same on each attempt; Slack and Teams ignore it.
        request.setHeader("webhook-id", event.id().toString());
        if (secret != null) {
            long timestamp = Instant.now().getEpochSecond();
            request.setHeader("webhook-timestamp", Long.toString(timestamp));
            request.setHeader("webhook-signature", WebhookSignature.sign(secret, event.id().toString(), timestamp, body));
        }
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        // One deadline for the whole exchange: a receiver dripping its answer byte by byte keeps no delivery thread.
        Duration limit = properties.connectTimeout().plus(properties.requestTimeout());
        ScheduledFuture<?> deadline = DEADLINES.schedule(request::cancel, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            CloseableHttpResponse response = http.execute(request);
            int status = response.getCode();
            Header retryAfter = response.getFirstHeader("Retry-After");
            String answer = "";
            try {
                if (response.getEntity() != null) {
                    InputStream in = response.getEntity().getContent();
                    answer = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8).strip();
                }
            } finally {
                // Not the stream's close, which reads the rest: an endless answer is not drained, the connection is
                // dropped.
                response.close(CloseMode.IMMEDIATE);
            }
            if (status >= 200 && status < 300) {
                return new Attempt(status, null, null);
            }
            String error = "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")
                    + (answer.isEmpty() ? "" : ": " + answer);
            return new Attempt(status, error, retryAfter(retryAfter == null ? null : retryAfter.getValue()));
        } catch (TargetGuard.RefusedAddress e) {
            // The host resolves elsewhere now than when the channel was saved: nothing was connected to.
            return new Attempt(null, "target refused: " + e.getMessage(), null);
        } catch (IOException e) {
            if (request.isCancelled()) {
                return new Attempt(null, "the receiver did not answer within " + limit.toSeconds() + " s", null);
            }
            // The exception's text can name the URL (and so its token): report its kind only.
            return new Attempt(null, "could not reach the receiver: " + e.getClass().getSimpleName(), null);
        } finally {
            deadline.cancel(false);
        }
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    private Attempt email(String recipients, EmailMessage message) {
        if (mail == null) {
            return new Attempt(null, "this hub has no SMTP server (HUB_SMTP_HOST)", null);
        }
        try {
            MimeMessage mime = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
            helper.setFrom(properties.smtp().from());
            helper.setTo(Arrays.stream(recipients.split(",")).map(String::strip).toArray(String[]::new));
            helper.setSubject(message.subject());
            helper.setText(message.text(), message.html());
            mail.send(mime);
            return new Attempt(250, null, null);
        } catch (MailException | MessagingException e) {
            return new Attempt(null, "SMTP: " + e.getClass().getSimpleName(), null);
        }
    }

    /** Retry-After as seconds or an HTTP date; nonsense is ignored. */
    static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static AccountAccess access(Event event) {
        return JSON.readValue(event.data(), AccountAccess.class);
    }

    private static WeeklyReport weekly(Event event) {
        return JSON.readValue(event.data(), WeeklyReport.class);
    }

    private static ScanDigest digest(Event event) {
        return JSON.readValue(event.data(), ScanDigest.class);
    }

    private static JavaMailSenderImpl mailSender(NotifyProperties.Smtp smtp) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host());
        sender.setPort(smtp.port());
        if (smtp.username() != null && !smtp.username().isBlank()) {
            sender.setUsername(smtp.username());
            sender.setPassword(smtp.password());
        }
        Properties props = sender.getJavaMailProperties();
        props.put("mail.smtp.auth", String.valueOf(smtp.username() != null && !smtp.username().isBlank()));
        props.put("mail.smtp.starttls.enable", String.valueOf(smtp.startTls()));
        props.put("mail.smtp.starttls.required", String.valueOf(smtp.startTls()));
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.writetimeout", "10000");
        return sender;
    }
}
