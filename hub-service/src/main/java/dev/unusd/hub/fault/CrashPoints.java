package dev.unusd.hub.fault;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.unusd.hub.aws.SpokeAction;

/**
 * With {@code hub.scan.crash-at=<point>[,<n>]} the hub halts the n-th time (default: the first) any thread reaches
 * that point: exit status 137, no shutdown hooks, connections dropped, as if SIGKILL had come exactly there. Recovery
 * tests start hubs with it; unset, as in production, reaching a point is one comparison.
 */
@Component
public class CrashPoints {

    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);

    /** Where to halt: the point and how many times it is reached, the last time included. */
    record Setting(CrashPoint point, int times) {

        /** {@code key-described,3}; empty: none. */
        static @Nullable Setting parse(String crashAt) {
            if (crashAt.isBlank()) {
                return null;
            }
            String[] parts = crashAt.trim().split("\\s*,\\s*", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("hub.scan.crash-at: expected <point>[,<n>], was '" + crashAt + "'");
            }
            int times;
            try {
                times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hub.scan.crash-at: n must be a number, was '" + parts[1] + "'", e);
            }
            if (times < 1) {
                throw new IllegalArgumentException("hub.scan.crash-at: n must be at least 1, was " + times);
            }
            return new Setting(CrashPoint.ofConfigName(parts[0]), times);
        }
    }

    private final @Nullable Setting setting;
    private final Runnable halt;
    private final AtomicInteger reached = new AtomicInteger();

    @Autowired
    CrashPoints(@Value("${hub.scan.crash-at:}") String crashAt) {
        this(crashAt, () -> Runtime.getRuntime().halt(137));
    }

    CrashPoints(String crashAt, Runnable halt) {
        this.setting = Setting.parse(crashAt);
        this.halt = halt;
        if (setting != null) {
            log.warn("Fault injection: hub.scan.crash-at={},{}, this hub halts there", setting.point().configName(),
                    setting.times());
        }
    }

    public void reached(CrashPoint point) {
        if (setting != null && setting.point() == point && reached.incrementAndGet() == setting.times()) {
            log.warn("Crash point {} reached ({} times): halting", point.configName(), setting.times());
            halt.run();
        }
    }

    /** For {@link dev.unusd.hub.aws.SpokeRegion#onAnswer}: the points of a region's collection. */
    public void answered(SpokeAction action) {
        switch (action) {
            case LIST_KEYS -> reached(CrashPoint.KEYS_LISTED);
            case DESCRIBE_KEY -> reached(CrashPoint.KEY_DESCRIBED);
            default -> {
                // not a crash point
            }
        }
    }
}
