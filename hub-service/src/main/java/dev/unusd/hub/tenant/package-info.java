/**
 * Tenants, their API keys and settings, and request authentication. {@link dev.unusd.hub.tenant.TenantApi} is the
 * surface other features use.
 */
@NullMarked
package dev.unusd.hub.tenant;

import org.jspecify.annotations.NullMarked;
