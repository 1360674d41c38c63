/** Persistence glue: tenant-scoped transactions (row-level security) and database bootstrap. */
@NullMarked
package dev.unusd.hub.db;

import org.jspecify.annotations.NullMarked;
