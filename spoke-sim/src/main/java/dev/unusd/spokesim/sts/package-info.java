/** STS over the Query protocol: AssumeRole with ExternalId, GetCallerIdentity, the sessions it issues, principals. */
package dev.unusd.spokesim.sts;
