/** The dashboard's one-call overview of a tenant: key totals, open findings, cost and savings per account. */
@NullMarked
package dev.unusd.hub.summary;

import org.jspecify.annotations.NullMarked;
