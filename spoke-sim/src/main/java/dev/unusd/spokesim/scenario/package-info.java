/** Turning scenario text into a complete scenario: the YAML/JSON tree, relative dates, generated ids and defaults. */
package dev.unusd.spokesim.scenario;
