/** The KMS key inventory: collected per account and region by scans, read by the dashboard. */
@NullMarked
package dev.unusd.hub.kms;

import org.jspecify.annotations.NullMarked;
