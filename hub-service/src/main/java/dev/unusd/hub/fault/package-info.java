/**
 * Fault injection for recovery testing: {@link dev.unusd.hub.fault.CrashPoints} halts the hub at a chosen point of a
 * scan's path (or a notification's, or an organisation sync's) when {@code hub.scan.crash-at} is set. A package of its
 * own, so that scan, aws, finding and organization can name the points without depending on one another.
 */
@NullMarked
package dev.unusd.hub.fault;

import org.jspecify.annotations.NullMarked;
