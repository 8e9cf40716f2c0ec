package dev.cubeguardian.probe;

import java.io.IOException;

/** The peer sent bytes that are not the protocol we expected (or exceed our size limits). */
public class MalformedPacketException extends IOException {

    public MalformedPacketException(String message) {
        super(message);
    }

    public MalformedPacketException(String message, Throwable cause) {
        super(message, cause);
    }
}
