package dev.unusd.spokesim.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates in scenarios: ISO-8601 instants or dates, "now", or offsets from load time such as "-120d", "-3h", "+10m". */
record ScenarioTime(Instant now) {

    private static final Pattern RELATIVE = Pattern.compile("([+-])(\\d+)([smhd])");

    Instant parse(String text) {
        String value = text.trim();
        if (value.equals("now")) {
            return now;
        }
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(2));
            Duration offset = switch (relative.group(3)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return relative.group(1).equals("-") ? now.minus(offset) : now.plus(offset);
        }
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return Instant.parse(value);
    }
}
