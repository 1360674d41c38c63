/** CloudTrail: each region's event history and LookupEvents over it. */
package dev.unusd.spokesim.cloudtrail;
