/** KMS over JSON 1.1: the read calls the hub makes and the cryptographic calls that use a key. */
package dev.unusd.spokesim.kms;
