package dev.cubeguardian.command;

import java.util.UUID;

/** Makes ids for commands that came without one; they use only characters a client id may use. */
public final class CommandIds {

    public String next() {
        return "cg-" + UUID.randomUUID();
    }
}
