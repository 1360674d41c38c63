package dev.unusd.hub.scan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random life of one simulated region, replayed against the hub: keys created with a past (uses before the first
 * scan, some before usage tracking began, some older than CloudTrail's 90 days), then steps, each a few timed actions
 * (uses that succeed or fail, keys created, disabled, scheduled for deletion, cancelled, tagged, rotated), time
 * passing (an hour to 100 days), a settings change now and then, a fault now and then, and a scan. Some keys hold
 * imported key material: they rotate on demand only, and cost what their rotations cost as any other key. Everything is
 * drawn from the seed, so a history is its seed; a shrunk one is the seed and the steps it kept.
 */
record KeyHistory(long seed, int trackingStartDaysAgo, List<PastKey> keys, List<Step> steps) {

    static final String EXEMPT_TAG = "unusd";
    static final List<String> USES = List.of("Encrypt", "Decrypt", "GenerateDataKey", "ReEncrypt",
            "GenerateDataKeyWithoutPlaintext");

    /**
     * A key as it stands when the history begins; uses are (hours ago, operation, succeeded). {@code rotation}: on for
     * a key with KMS's key material, one past on-demand rotation for one with {@code imported} material.
     */
    record PastKey(int createdDaysAgo, List<PastUse> uses, boolean exempt, boolean rotation, boolean imported) {
        PastKey asImported() {
            return new PastKey(createdDaysAgo, uses, exempt, rotation, true);
        }
    }

    record PastUse(int hoursAgo, String operation, boolean succeeded) {
    }

    /** Timed actions, then {@code pause}, then the settings (null: unchanged) and fault in force for the scan. */
    record Step(List<Timed> actions, Duration pause, Integer unusedDays, Fault fault) {
        Step without(int action) {
            List<Timed> kept = new ArrayList<>(actions);
            kept.remove(action);
            return new Step(kept, pause, unusedDays, fault);
        }

        Step withoutFault() {
            return new Step(actions, pause, unusedDays, null);
        }
    }

    record Timed(Duration after, Action action) {
    }

    /** What happens to a key; {@code key} picks among the region's keys at that moment (modulo their number). */
    record Action(Kind kind, int key, String operation, int days) {
        @Override
        public String toString() {
            return switch (kind) {
                case USE -> operation + " #" + key;
                case FAILED_USE -> operation + " #" + key + " (AccessDeniedException)";
                case SCHEDULE_DELETION -> "schedule deletion #" + key + " in " + days + "d";
                case ROTATION_ON -> "rotation on #" + key + " every " + days + "d";
                case CREATE -> "create key";
                default -> kind.name().toLowerCase().replace('_', ' ') + " #" + key;
            };
        }
    }

    enum Kind {
        USE, FAILED_USE, CREATE, DISABLE, ENABLE, SCHEDULE_DELETION, CANCEL_DELETION, TAG, UNTAG, ROTATION_ON,
        ROTATION_OFF, ROTATE_NOW
    }

    /** A fault in force during one scan only. */
    record Fault(FaultKind kind, int key) {
        @Override
        public String toString() {
            return kind.name().toLowerCase().replace('_', ' ') + (kind.perKey() ? " #" + key : "");
        }
    }

    enum FaultKind {
        DENY_LAST_USAGE(true), LAST_USAGE_UNSUPPORTED(true), DENY_DESCRIBE_KEY(true), CLOUDTRAIL_DENIED(false),
        LAST_USAGE_5XX(false), LOOKUP_EVENTS_5XX(false), LOOKUP_EVENTS_THROTTLED(false), TAGS_DENIED(false),
        ROTATIONS_LAG(true), ROTATIONS_DENIED(false);

        private final boolean perKey;

        FaultKind(boolean perKey) {
            this.perKey = perKey;
        }

        boolean perKey() {
            return perKey;
        }
    }

    static KeyHistory generate(long seed) {
        Random random = new Random(seed);
        // Tracking began long ago, inside every window, or in between.
        int trackingStartDaysAgo = switch (random.nextInt(3)) {
            case 0 -> 200 + random.nextInt(200);
            case 1 -> 1 + random.nextInt(30);
            default -> 30 + random.nextInt(90);
        };
        List<PastKey> keys = new ArrayList<>();
        int count = 2 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            int created = 1 + random.nextInt(400);
            List<PastUse> uses = new ArrayList<>();
            int n = random.nextInt(4);
            for (int u = 0; u < n; u++) {
                uses.add(new PastUse(1 + random.nextInt(created * 24), pick(random, USES), random.nextInt(5) > 0));
            }
            keys.add(new PastKey(created, uses, random.nextInt(6) == 0, random.nextBoolean(), false));
        }
        List<Step> steps = new ArrayList<>();
        int count2 = 3 + random.nextInt(5);
        for (int s = 0; s < count2; s++) {
            List<Timed> actions = new ArrayList<>();
            int n = random.nextInt(5);
            for (int a = 0; a < n; a++) {
                actions.add(new Timed(wait(random, true), action(random)));
            }
            Integer unusedDays = random.nextInt(4) == 0 ? 1 + random.nextInt(90) : null;
            Fault fault = random.nextInt(4) == 0
                    ? new Fault(FaultKind.values()[random.nextInt(FaultKind.values().length)], random.nextInt(8))
                    : null;
            if (fault != null && fault.kind() == FaultKind.ROTATIONS_LAG) {
                // KMS's listing can lag a rotation: the faulted key is rotated last among the step's actions.
                actions.add(new Timed(Duration.ofMinutes(1), new Action(Kind.ROTATE_NOW, fault.key(), USES.get(0), 0)));
            }
            steps.add(new Step(actions, wait(random, false), unusedDays, fault));
        }
        // Drawn last, so every other part of a seed's history is what it was before imported keys were drawn.
        keys.replaceAll(key -> random.nextInt(4) == 0 ? key.asImported() : key);
        return new KeyHistory(seed, trackingStartDaysAgo, keys, steps);
    }

    KeyHistory withSteps(List<Step> kept) {
        return new KeyHistory(seed, trackingStartDaysAgo, keys, kept);
    }

    /** Between actions: minutes to days; before a scan: an hour to 100 days, mostly short. */
    private static Duration wait(Random random, boolean betweenActions) {
        if (betweenActions) {
            return Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60));
        }
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> Duration.ofHours(1 + random.nextInt(48));
            case 5, 6, 7 -> Duration.ofHours(24 + random.nextInt(30 * 24));
            default -> Duration.ofHours(30 * 24 + random.nextInt(70 * 24));
        };
    }

    private static Action action(Random random) {
        int roll = random.nextInt(20);
        Kind kind = roll < 8 ? Kind.USE : roll < 10 ? Kind.FAILED_USE : switch (roll) {
            case 10 -> Kind.CREATE;
            case 11 -> Kind.DISABLE;
            case 12 -> Kind.ENABLE;
            case 13 -> Kind.SCHEDULE_DELETION;
            case 14 -> Kind.CANCEL_DELETION;
            case 15 -> Kind.TAG;
            case 16 -> Kind.UNTAG;
            case 17 -> Kind.ROTATION_ON;
            case 18 -> Kind.ROTATION_OFF;
            default -> Kind.ROTATE_NOW;
        };
        int days = kind == Kind.SCHEDULE_DELETION ? 7 + random.nextInt(24)
                : kind == Kind.ROTATION_ON ? 90 + random.nextInt(640) : 0;
        return new Action(kind, random.nextInt(8), pick(random, USES), days);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The history as a person reads it, for a failure report. */
    String describe() {
        StringBuilder text = new StringBuilder("seed " + seed + ", tracking began " + trackingStartDaysAgo
                + "d before the start\n");
        for (int i = 0; i < keys.size(); i++) {
            PastKey key = keys.get(i);
            text.append("  key #").append(i).append(": created ").append(key.createdDaysAgo()).append("d ago")
                    .append(key.imported() ? ", imported material" : "").append(key.exempt() ? ", exempt" : "")
                    .append(key.rotation() ? key.imported() ? ", rotated once" : ", rotating" : "")
                    .append(", uses ").append(key.uses()).append('\n');
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            text.append("  step ").append(i + 1).append(':');
            step.actions().forEach(t -> text.append(" +").append(t.after()).append(' ').append(t.action()).append(';'));
            text.append(" wait ").append(step.pause());
            if (step.unusedDays() != null) {
                text.append(", unusedDays ").append(step.unusedDays());
            }
            if (step.fault() != null) {
                text.append(", fault: ").append(step.fault());
            }
            text.append(", scan\n");
        }
        return text.toString();
    }
}
