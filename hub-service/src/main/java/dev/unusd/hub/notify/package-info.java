/**
 * Telling teams what changed: the tenant's notification channels (Slack, Microsoft Teams, email, signed webhooks),
 * the outbox of deliveries written with a scan's finalisation, and the task that sends them with retries.
 */
@NullMarked
package dev.unusd.hub.notify;

import org.jspecify.annotations.NullMarked;
