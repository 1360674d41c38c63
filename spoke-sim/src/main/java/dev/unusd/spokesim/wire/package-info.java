/**
 * What every call goes through before a service answers it: the one HTTP port and its routing, credentials and
 * region from the SigV4 scope, quotas, injected faults, counters, JSON 1.1 encoding, AWS error answers and paging.
 */
package dev.unusd.spokesim.wire;
