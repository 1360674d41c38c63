/**
 * KMS inventory of one account's region: the collector that lists and describes keys, and the usage resolver that
 * decides whether each key was used (GetKeyLastUsage first, CloudTrail only for what it cannot answer); and the
 * dashboard's reads of the inventory.
 */
@NullMarked
package dev.unusd.hub.kms;

import org.jspecify.annotations.NullMarked;
