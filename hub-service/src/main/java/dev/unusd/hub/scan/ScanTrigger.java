package dev.unusd.hub.scan;

public enum ScanTrigger {
    MANUAL, SCHEDULED
}
