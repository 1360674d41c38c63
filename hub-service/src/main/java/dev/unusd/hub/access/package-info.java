/**
 * Who can use each key: the key policy and the grants read as IAM reads them, turned into principals with their
 * actions, the conditions that narrow them and the statement or grant they come from; and, given what a tenant
 * trusts, which of them are exposures. Pure: nothing here calls AWS or the database.
 */
@NullMarked
package dev.unusd.hub.access;

import org.jspecify.annotations.NullMarked;
