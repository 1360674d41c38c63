package dev.unusd.hub.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;

/**
 * Runs one attempt of one delivery: reads it and its channel, sends outside any transaction, records the answer.
 * 2xx delivers; 404/410, or failing for {@code hub.notify.give-up-after}, fails it and disables the channel with
 * the reason; anything else waits with exponential backoff, or longer when the receiver's Retry-After asks.
 */
@Component
class DeliveryRunner {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

    /** What the task does next: nothing, or run again at a time. */
    record Next(@Nullable Instant retryAt) {
        static final Next DONE = new Next(null);
    }

    private record Prepared(Delivery delivery, Channel channel, String target, @Nullable String secret) {
    }

    private final NotificationDeliveries deliveries;
    private final NotificationChannels channels;
    private final SecretBox secrets;
    private final ChannelSender sender;
    private final TransactionTemplate tx;
    private final NotifyProperties properties;
    private final Clock clock;

    DeliveryRunner(NotificationDeliveries deliveries, NotificationChannels channels, SecretBox secrets,
            ChannelSender sender, TransactionTemplate tx, NotifyProperties properties, Clock clock) {
        this.deliveries = deliveries;
        this.channels = channels;
        this.secrets = secrets;
        this.sender = sender;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    Next run(DeliveryTaskData task) {
        try (TenantContext.Scope scope = TenantContext.open(task.tenantId())) {
            Optional<Prepared> prepared = tx.execute(s -> prepare(task));
            if (prepared.isEmpty()) {
                return Next.DONE;
            }
            Prepared p = prepared.get();
            Delivery d = p.delivery();
            ChannelSender.Attempt attempt = sender.send(p.channel().type(), p.target(), p.secret(),
                    new ChannelSender.Event(d.eventId(), d.eventType(), d.tenantId(), d.occurredAt(), d.data()));
            return tx.execute(s -> record(p, attempt));
        }
    }

    private Optional<Prepared> prepare(DeliveryTaskData task) {
        Optional<Delivery> found = deliveries.lock(task.tenantId(), task.deliveryId());
        if (found.isEmpty() || found.get().status() != Delivery.Status.PENDING) {
            return Optional.empty(); // delivered by an earlier run that died before its task was removed, or gone
        }
        Delivery delivery = found.get();
        Optional<Channel> channel = channels.find(task.tenantId(), delivery.channelId());
        if (channel.isEmpty() || !channel.get().enabled()) {
            deliveries.discard(delivery.id(), "channel disabled before the delivery went out");
            return Optional.empty();
        }
        Channel c = channel.get();
        return Optional.of(new Prepared(delivery, c, secrets.open(c.targetSealed()),
                c.secretSealed() == null ? null : secrets.open(c.secretSealed())));
    }

    private Next record(Prepared p, ChannelSender.Attempt attempt) {
        Delivery d = p.delivery();
        // The hub's clock, so the give-up after a day of failures can be tested without waiting a day.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int attempts = d.attempts() + 1;
        if (attempt.delivered()) {
            deliveries.recordAttempt(d.id(), Delivery.Status.DELIVERED, now, attempt.statusCode(), null, null);
            log.info("Notification delivered: delivery={} channel={} event={} attempts={}", d.id(), d.channelId(),
                    d.eventId(), attempts);
            return Next.DONE;
        }
        String reason = null;
        if (attempt.gone()) {
            reason = "The receiver answered " + attempt.statusCode() + ": the target no longer exists";
        } else if (!Duration.between(d.createdAt(), now).minus(properties.giveUpAfter()).isNegative()) {
            reason = "Deliveries failed for " + properties.giveUpAfter().toHours() + " h; last: " + attempt.error();
        }
        if (reason != null) {
            deliveries.recordAttempt(d.id(), Delivery.Status.FAILED, now, attempt.statusCode(), attempt.error(), null);
            channels.disable(d.tenantId(), d.channelId(), reason, now);
            log.warn("Notification channel disabled: channel={} delivery={} attempts={} status={}", d.channelId(),
                    d.id(), attempts, attempt.statusCode());
            return Next.DONE;
        }
        Duration wait = backoff(attempts);
        if (attempt.retryAfter() != null && attempt.retryAfter().compareTo(wait) > 0) {
            wait = attempt.retryAfter().compareTo(properties.giveUpAfter()) > 0 ? properties.giveUpAfter()
                    : attempt.retryAfter();
        }
        Instant retryAt = now.plus(wait);
        deliveries.recordAttempt(d.id(), Delivery.Status.PENDING, now, attempt.statusCode(), attempt.error(), retryAt);
        log.info("Notification attempt failed: delivery={} channel={} attempts={} status={} retryIn={}ms", d.id(),
                d.channelId(), attempts, attempt.statusCode(), wait.toMillis());
        return new Next(retryAt);
    }

    /** initial, 2x, 4x, ... up to the maximum: a receiver that is down is not hammered. */
    Duration backoff(int attempts) {
        Duration wait = properties.retryInitialDelay();
        for (int i = 1; i < attempts && wait.compareTo(properties.retryMaxDelay()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(properties.retryMaxDelay()) > 0 ? properties.retryMaxDelay() : wait;
    }
}
