package dev.cubeguardian.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** The result message of API v1, field for field. */
@JsonPropertyOrder({"v", "id", "host", "action", "success", "code", "message", "timestamp", "duration_ms",
        "details", "error", "duplicate"})
public record CommandResult(
        @JsonProperty("v") int v,
        @JsonProperty("id") String id,
        @JsonProperty("host") String host,
        @JsonProperty("action") String action,
        @JsonProperty("success") boolean success,
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("duration_ms") long durationMs,
        @JsonProperty("details") Map<String, Object> details,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("error") ErrorInfo error,
        // present only on a re-published result, so first results look exactly like the contract's example
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("duplicate") Boolean duplicate) {

    public static final int API_VERSION = 1;

    public record ErrorInfo(@JsonProperty("code") String code, @JsonProperty("message") String message) {
    }

    public CommandResult asDuplicate() {
        return new CommandResult(v, id, host, action, success, code, message, timestamp, durationMs, details, error, true);
    }
}
