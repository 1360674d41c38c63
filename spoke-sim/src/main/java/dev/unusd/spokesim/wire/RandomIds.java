package dev.unusd.spokesim.wire;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request and event ids: random v4 UUIDs without SecureRandom's cost on the hot path. */
public final class RandomIds {

    private RandomIds() {
    }

    public static String uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
