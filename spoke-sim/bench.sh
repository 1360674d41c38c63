#!/bin/sh
# Loads 100 accounts x 3 regions x 100 keys and drives the simulator with concurrent clients.
# Extra arguments: accounts=100 regions=3 keys=100 threads=16 seconds=15
set -e
cd "$(dirname "$0")/.."
ARGS="$*"
./mvnw -q -pl spoke-sim test-compile exec:java@bench -Dexec.args="$ARGS"
