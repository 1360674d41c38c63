/**
 * Demo mode (profile {@code demo}): a demo tenant whose accounts are the simulated organisation of spoke-sim,
 * registered, onboarded and scanned at start-up. The simulator is reached over HTTP only, as a customer's
 * accounts would be; the hub never links against it.
 */
@NullMarked
package dev.unusd.hub.demo;

import org.jspecify.annotations.NullMarked;
