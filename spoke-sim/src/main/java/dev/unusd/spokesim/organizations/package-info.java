/**
 * AWS Organizations as the simulator serves it on the wire (JSON 1.1, {@code AWSOrganizationsV20161128.*}): the
 * organisations, their root, organisational units and member accounts with their {@code State}, and the
 * service-managed StackSet that deploys the spoke role to the accounts of chosen OUs. Not to be confused with
 * {@code dev.unusd.spokesim.organisation}, the simulator's own set of accounts, which a member may or may not be in.
 */
package dev.unusd.spokesim.organizations;
