/** The JSON control plane under /_sim/: the fixture's methods for simulators that run as a process. */
package dev.unusd.spokesim.control;
