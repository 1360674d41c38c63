package dev.unusd.hub.access;

import java.util.List;
import java.util.Map;

/**
 * Who can use or manage one key, from its key policy and grants. {@code unknown} maps what could not be read or
 * understood ({@code keyPolicy}, {@code grants}) to the reason; {@code notes} says what was read but not relied on
 * (a Deny that applies only in some circumstances).
 */
public record KeyAccess(List<AccessEntry> entries, Map<String, String> unknown, List<String> notes) {

    public static final String KEY_POLICY = "keyPolicy";
    public static final String GRANTS = "grants";

    public enum Status {
        /** Policy and grants read, and every statement understood. */
        KNOWN,
        /** Something was not read or not understood: see {@code unknown} and the entries whose audience is UNKNOWN. */
        UNKNOWN
    }

    public KeyAccess {
        entries = List.copyOf(entries);
        unknown = Map.copyOf(unknown);
        notes = List.copyOf(notes);
    }

    /** Not read at all, with the reason (a key that is not customer-managed, a call denied). */
    public static KeyAccess notRead(String reason) {
        return new KeyAccess(List.of(), Map.of(KEY_POLICY, reason, GRANTS, reason), List.of());
    }

    public Status status() {
        return unknown.isEmpty() && entries.stream().allMatch(e -> e.audience().certain()) ? Status.KNOWN
                : Status.UNKNOWN;
    }

    public boolean policyKnown() {
        return !unknown.containsKey(KEY_POLICY);
    }

    public boolean grantsKnown() {
        return !unknown.containsKey(GRANTS);
    }
}
