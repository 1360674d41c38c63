/**
 * The live state the services answer from: accounts, their roles and regions, keys and aliases, built once from a
 * completed scenario and changed by calls, the fixture and the control plane.
 */
package dev.unusd.spokesim.organisation;
