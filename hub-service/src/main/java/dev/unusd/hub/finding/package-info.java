/** Findings: their lifecycle as scans reconcile them, and the dashboard's reads (lists, CSV, a key's findings). */
@NullMarked
package dev.unusd.hub.finding;

import org.jspecify.annotations.NullMarked;
