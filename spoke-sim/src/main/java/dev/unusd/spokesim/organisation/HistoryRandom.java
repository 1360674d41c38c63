package dev.unusd.spokesim.organisation;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The seeded randomness behind one account's loaded history. Event ids, request ids and everything else (times, noise)
 * each come from a stream of their own, derived from the seed rather than equal to it: the scenario completer draws
 * the account's key ids from a Random of that same seed, and a shared stream made event ids repeat key ids.
 */
final class HistoryRandom {

    private final Random eventIds;
    private final Random requestIds;
    private final Random shape;

    HistoryRandom(long seed) {
        SplittableRandom streams = new SplittableRandom(seed);
        this.eventIds = new Random(streams.nextLong());
        this.requestIds = new Random(streams.nextLong());
        this.shape = new Random(streams.nextLong());
    }

    String eventId() {
        return uuid(eventIds);
    }

    String requestId() {
        return uuid(requestIds);
    }

    /** Times and choices: when noise happens and what it is. */
    Random shape() {
        return shape;
    }

    private static String uuid(Random random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
