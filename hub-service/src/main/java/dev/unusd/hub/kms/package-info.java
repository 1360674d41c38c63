/**
 * The KMS key inventory: the collector that lists and describes one account region's keys, the usage resolver
 * (GetKeyLastUsage first, CloudTrail only for what it cannot answer), and the dashboard's reads of the inventory.
 */
@NullMarked
package dev.unusd.hub.kms;

import org.jspecify.annotations.NullMarked;
