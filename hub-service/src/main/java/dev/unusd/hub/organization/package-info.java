/**
 * AWS organisations onboarded as a whole: registration with one ExternalId per organisation, onboarding for the
 * reader role and the spoke-role StackSet, and the sync that reads the organisation (paced, paged, backing off on
 * TooManyRequestsException) and keeps the tenant's accounts in line with the chosen OUs, on a schedule and on demand.
 */
@NullMarked
package dev.unusd.hub.organization;

import org.jspecify.annotations.NullMarked;
