/** AWS access: regions, assumed-role credentials, SDK clients per account and region, pacing, error classes. */
@NullMarked
package dev.unusd.hub.aws;

import org.jspecify.annotations.NullMarked;
