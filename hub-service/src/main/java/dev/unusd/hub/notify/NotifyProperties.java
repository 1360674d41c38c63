package dev.unusd.hub.notify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How notifications are stored and delivered (application.yml, {@code hub.notify}). */
@Validated
@ConfigurationProperties("hub.notify")
record NotifyProperties(
        /** Base64 of a 256-bit AES key (HUB_SECRETS_KEY); empty: channels cannot be stored. */
        String secretsKey,
        /** Lets targets resolve to loopback and private addresses over http (demo and tests only). */
        boolean allowPrivateTargets,
        @NotNull Duration connectTimeout,
        @NotNull Duration requestTimeout,
        @NotNull Duration retryInitialDelay,
        @NotNull Duration retryMaxDelay,
        /** A channel whose deliveries have failed for this long is disabled. */
        @NotNull Duration giveUpAfter,
        @Min(1) @Max(25) int topFindings,
        /** How often each instance looks for weekly reports that are due: how late after its time one can go out. */
        @NotNull Duration weeklyReportCheckInterval,
        @NotNull Smtp smtp) {

    /** The SMTP server email channels send through (HUB_SMTP_*); no host: email channels cannot be created. */
    record Smtp(String host, int port, String username, String password, boolean startTls, String from) {

        boolean configured() {
            return host != null && !host.isBlank();
        }
    }
}
