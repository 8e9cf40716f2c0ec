package dev.cubeguardian.http;

import dev.cubeguardian.command.CommandParser;
import java.util.regex.Pattern;

/**
 * What {host} and {action} may be before anything goes to the broker. The host must be a host id
 * (the contract's pattern) and the action a plain lower-case word, so the only topic the API can
 * publish on is {@code <base>/<host>/cmd/<action>}: no '/', '+', '#', NUL, '$' or long names can
 * reach a topic level. An unknown host or action of that shape takes the normal command path and
 * gets the worker's own UNKNOWN_HOST / UNKNOWN_ACTION result, as an MQTT client would.
 */
final class PathNames {

    static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private PathNames() {
    }

    static boolean isHost(String host) {
        return host != null && CommandParser.HOST_ID.matcher(host).matches();
    }

    static boolean isAction(String action) {
        return action != null && ACTION.matcher(action).matches();
    }
}
