/**
 * The unusd hub: finds forgotten and rarely rotated AWS KMS customer-managed keys across a tenant's accounts.
 * One package per feature; data flows scan → aws/kms collect a snapshot → rules judge it → findings reconcile → API.
 */
@NullMarked
package dev.unusd.hub;

import org.jspecify.annotations.NullMarked;
