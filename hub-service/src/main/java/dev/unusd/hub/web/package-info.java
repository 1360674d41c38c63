/** HTTP glue shared by every feature: problem details, keyset pages and cursors, security headers. */
@NullMarked
package dev.unusd.hub.web;

import org.jspecify.annotations.NullMarked;
