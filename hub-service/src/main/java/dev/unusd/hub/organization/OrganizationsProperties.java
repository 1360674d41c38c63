package dev.unusd.hub.organization;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the hub reads organisations. AWS publishes no per-call rate for Organizations and users report
 * TooManyRequestsException on ListRoots/ListParents in organisations of a few hundred accounts, so one sync makes its
 * calls one after another at {@code callsPerSecond} (default 10 a second), and backs off exponentially with jitter
 * from {@code backoff} up to {@code maxBackoff} for at most {@code throttledAttempts} tries of a throttled call.
 */
@ConfigurationProperties("hub.organizations")
public record OrganizationsProperties(
        @DefaultValue("10") double callsPerSecond,
        @DefaultValue("8") int throttledAttempts,
        @DefaultValue("PT1S") Duration backoff,
        @DefaultValue("PT20S") Duration maxBackoff,
        @DefaultValue("PT6H") Duration syncInterval,
        @DefaultValue("8") int verificationsAtOnce) {
}
