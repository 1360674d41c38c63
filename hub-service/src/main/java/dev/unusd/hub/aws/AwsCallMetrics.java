package dev.unusd.hub.aws;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts every AWS call the hub makes: {@code hub.aws.calls{service, operation, outcome}} once per call (after the
 * SDK's retries) and {@code hub.aws.throttles{service, operation}} once per throttled attempt, retried or not. Add it
 * to every SDK client: {@code overrideConfiguration(c -> c.addMetricPublisher(awsCallMetrics))}, except the scan's
 * regional clients, whose calls {@link SpokeRegion#call} counts with {@link #called}: a metric publisher makes the SDK
 * collect and publish a tree of metrics on every call, a cost paid on each of the ~35 calls of every target.
 */
@Component
public class AwsCallMetrics implements MetricPublisher {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call.metricValues(CoreMetric.SERVICE_ID), "unknown");
        String operation = first(call.metricValues(CoreMetric.OPERATION_NAME), "unknown");
        boolean succeeded = Boolean.TRUE.equals(first(call.metricValues(CoreMetric.API_CALL_SUCCESSFUL), Boolean.FALSE));
        @Nullable String lastError = null;
        for (MetricCollection attempt : call.childrenWithName("ApiCallAttempt").toList()) {
            @Nullable String error = first(attempt.metricValues(CoreMetric.ERROR_TYPE), null);
            if (error != null) {
                lastError = error;
                if ("Throttling".equals(error)) {
                    throttled(service, operation);
                }
            }
        }
        called(service, operation, outcome(succeeded, lastError));
    }

    /**
     * One call of a spoke region's client, after the SDK's retries: {@code failure} null when it succeeded. The same
     * counts as {@link #publish} makes of the SDK's metrics: the SDK retries no throttled attempt on these clients,
     * so every throttled attempt ends a call, and the outcome is the error type of the call's last attempt as the
     * SDK names it (any other service error is a server error there too).
     */
    void called(SpokeAction action, @Nullable RuntimeException failure) {
        String service = action.sdkServiceId();
        String operation = action.operation();
        if (failure == null) {
            called(service, operation, "success");
            return;
        }
        String errorType = errorType(failure);
        if ("Throttling".equals(errorType)) {
            throttled(service, operation);
        }
        called(service, operation, outcome(false, errorType));
    }

    private void called(String service, String operation, String outcome) {
        counter("hub.aws.calls", "AWS API calls, after the SDK's retries", service, operation, outcome).increment();
    }

    private void throttled(String service, String operation) {
        counter("hub.aws.throttles", "AWS call attempts refused by throttling", service, operation, null).increment();
    }

    /**
     * The SDK's error type of an attempt that failed this way (its SdkErrorType); an exception outside any attempt
     * (credentials, marshalling) names none, as no attempt recorded one.
     */
    private static @Nullable String errorType(RuntimeException failure) {
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return "ConfiguredTimeout";
        }
        if (failure instanceof SdkException sdk && RetryUtils.isThrottlingException(sdk)) {
            return "Throttling";
        }
        if (failure instanceof SdkServiceException) {
            return "ServerError";
        }
        if (failure.getCause() instanceof IOException) {
            return "IO";
        }
        return null;
    }

    /** Looked up in a map of its own: building and registering a meter on every call cost more than the count. */
    private Counter counter(String name, String description, String service, String operation,
            @Nullable String outcome) {
        return counters.computeIfAbsent(String.join("/", name, service, operation, String.valueOf(outcome)), key -> {
            Counter.Builder builder = Counter.builder(name).description(description).tag("service", service)
                    .tag("operation", operation);
            return (outcome == null ? builder : builder.tag("outcome", outcome)).register(registry);
        });
    }

    // Error types as the SDK's CoreMetric.ERROR_TYPE reports them per attempt.
    /** success, throttled, server_error, timeout, io_error or error (access denied and other client errors). */
    private static String outcome(boolean succeeded, @Nullable String lastError) {
        if (succeeded) {
            return "success";
        }
        if (lastError == null) {
            return "error";
        }
        return switch (lastError) {
            case "Throttling" -> "throttled";
            case "ServerError" -> "server_error";
            case "ConfiguredTimeout" -> "timeout";
            case "IO" -> "io_error";
            default -> "error";
        };
    }

    private static <T extends @Nullable Object> T first(List<T> values, T fallback) {
        return values.isEmpty() ? fallback : values.get(0);
    }

    @Override
    public void close() {
        // Meters belong to the registry.
    }
}
