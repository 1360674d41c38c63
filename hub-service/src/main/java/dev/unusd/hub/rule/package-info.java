/**
 * The rules: one pure class per finding type, judging a key snapshot against the tenant's settings, with its
 * metadata (severity, title, detail, CLI remediation) beside it. No rule calls AWS or the database.
 */
@NullMarked
package dev.unusd.hub.rule;

import org.jspecify.annotations.NullMarked;
