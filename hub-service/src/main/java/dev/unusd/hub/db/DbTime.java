package dev.unusd.hub.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The current time at the precision Postgres keeps (microseconds), so what a write returns equals what a read returns. */
public final class DbTime {

    private DbTime() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
