/**
 * Registered AWS accounts: registration with a hub-issued ExternalId, onboarding links, enable/disable, removal.
 * {@link dev.unusd.hub.account.AccountApi} is the surface other features use.
 */
@NullMarked
package dev.unusd.hub.account;

import org.jspecify.annotations.NullMarked;
