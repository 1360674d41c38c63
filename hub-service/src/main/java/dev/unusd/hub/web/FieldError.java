package dev.unusd.hub.web;

/** One field-level message in a validation problem: {@code field} is a JSON path such as {@code schedule.cron}. */
public record FieldError(String field, String message) {
}
