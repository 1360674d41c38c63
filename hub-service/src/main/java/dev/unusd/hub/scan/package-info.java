/**
 * Scans: a scan of a tenant's accounts is one target per (account, region), run by the persistent scheduler on any
 * hub instance. {@link dev.unusd.hub.scan.RegionScanner} is the engine a target runs.
 */
@NullMarked
package dev.unusd.hub.scan;

import org.jspecify.annotations.NullMarked;
