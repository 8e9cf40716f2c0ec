package dev.cubeguardian.bench;

/** One host of a benchmark inventory: its TCP probe port on loopback and, if it has one, its game port. */
record HostSpec(String id, int probePort, Integer minecraftPort) {
}
