/**
 * Findings: their lifecycle (OPEN, RESOLVED, SUPPRESSED with every transition in finding_events) and the
 * reconciliation of a scanned region with the store, in set-based SQL.
 */
@NullMarked
package dev.unusd.hub.finding;

import org.jspecify.annotations.NullMarked;
