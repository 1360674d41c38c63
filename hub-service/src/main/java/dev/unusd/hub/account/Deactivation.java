package dev.unusd.hub.account;

/** Why an organisation's sync, or removing the organisation, disabled an account it had registered. */
public enum Deactivation {
    /** No longer a member of the organisation. */
    LEFT_ORGANIZATION,
    /** State SUSPENDED in the organisation. */
    SUSPENDED,
    /** State PENDING_CLOSURE: closing, no longer usable. */
    PENDING_CLOSURE,
    /** State CLOSED. */
    CLOSED,
    /** Still a member, but no longer under the organisational units the hub was told to cover. */
    MOVED_OUT,
    /** Listed in the organisation's excludeAccounts. */
    EXCLUDED,
    /** The organisation was removed from the hub (DELETE /organizations/{id}). */
    ORGANIZATION_REMOVED
}
