/**
 * Findings: their lifecycle (OPEN, RESOLVED, SUPPRESSED with every transition in finding_events), the
 * reconciliation of a scanned region with the store in set-based SQL, and the dashboard's reads (lists, CSV).
 */
@NullMarked
package dev.unusd.hub.finding;

import org.jspecify.annotations.NullMarked;
