package dev.unusd.hub.notify;

import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;

import dev.unusd.hub.db.DbTime;

/**
 * Puts a notification in the outbox: its delivery row and the db-scheduler task that sends it, both in the
 * caller's transaction (the starter makes the scheduler's DataSource transaction-aware), so either both commit with
 * the change they tell of, or neither exists.
 */
@Component
class Outbox {

    private final NotificationDeliveries deliveries;
    private final SchedulerClient scheduler;
    private final CustomTask<DeliveryTaskData> deliveryTask;

    Outbox(NotificationDeliveries deliveries, SchedulerClient scheduler, CustomTask<DeliveryTaskData> deliveryTask) {
        this.deliveries = deliveries;
        this.scheduler = scheduler;
        this.deliveryTask = deliveryTask;
    }

    UUID enqueue(Channel channel, UUID eventId, NotificationEvent event, Instant occurredAt, String data) {
        Instant now = DbTime.now();
        UUID id = UUID.randomUUID();
        deliveries.insert(new Delivery(id, channel.tenantId(), channel.id(), eventId, event.wireName(), occurredAt, data,
                Delivery.Status.PENDING, 0, now, null, null, null, null, now));
        DeliveryTaskData task = new DeliveryTaskData(channel.tenantId(), id);
        scheduler.scheduleIfNotExists(deliveryTask.instance(id.toString(), task), now);
        return id;
    }
}
