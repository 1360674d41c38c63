package dev.unusd.hub.notify;

import java.io.Serializable;
import java.util.UUID;

/** What a delivery's task carries: the tenant to work as, and the outbox row that holds the rest. */
record DeliveryTaskData(UUID tenantId, UUID deliveryId) implements Serializable {
}
