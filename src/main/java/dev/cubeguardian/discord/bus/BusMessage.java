package dev.cubeguardian.discord.bus;

import com.fasterxml.jackson.databind.JsonNode;

/** What the bus hands to its watchers, already sorted by topic. */
public sealed interface BusMessage {

    /** A command's result, from {@code <base>/<host>/result/<action>}. */
    record Result(String host, String action, JsonNode json) implements BusMessage {
        public String id() {
            return json.path("id").asText(null);
        }

        public String code() {
            return json.path("code").asText("");
        }

        public boolean success() {
            return json.path("success").asBoolean(false);
        }
    }

    /** An event from {@code <base>/<host>/event}. */
    record Event(String host, JsonNode json) implements BusMessage {
        public String type() {
            return json.path("type").asText("");
        }
    }

    /** A (retained or fresh) state from {@code <base>/<host>/state}. */
    record State(String host, JsonNode json) implements BusMessage {
        public String state() {
            return json.path("state").asText("unknown");
        }
    }

    /**
     * A worker's state ({@code bridge/state}, or v1.1 {@code bridge/workers/<id>/state}) went online
     * or offline, or the bot's own broker connection changed; {@code workerOnline}: any worker is.
     */
    record Availability(boolean brokerConnected, boolean workerOnline) implements BusMessage {
    }

    /** The hosts announced (the union of {@code bridge/info} and the workers' infos) changed. */
    record Hosts() implements BusMessage {
    }
}
