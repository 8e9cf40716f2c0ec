package dev.cubeguardian.gateway;

import java.util.Locale;

/**
 * Why the gateway hung up on a connection that did not behave. Each closes that connection only;
 * the wire name is the metric's {@code reason} tag.
 */
enum Refusal {
    /** The first bytes are not a Minecraft Java handshake (nor a legacy ping). */
    NOT_MINECRAFT,
    /** A handshake (or login start) larger than any client sends. */
    HANDSHAKE_TOO_LARGE,
    /** The handshake (or the status and ping that follow it) did not arrive in time. */
    TIMEOUT,
    /** A packet declared larger than the protocol allows (2 MiB). */
    PACKET_TOO_LARGE,
    /** A packet the sleeping server does not expect at this point of the conversation. */
    UNEXPECTED_PACKET,
    /** Too many connections at once, or too many new ones, from one address; or the gateway is full. */
    TOO_MANY_CONNECTIONS;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
