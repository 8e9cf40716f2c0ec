package dev.cubeguardian.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command came to, before it is addressed and localized: the code, the message key
 * and its arguments, and the details object of the result.
 */
public record Outcome(ResultCode code, String messageKey, List<Object> messageArgs, Map<String, Object> details) {

    public Outcome {
        // arguments may be null (a missing exit status, a range without bounds): List.copyOf would refuse them
        messageArgs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(messageArgs));
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Outcome of(ResultCode code, Map<String, Object> details, Object... args) {
        return new Outcome(code, code.name(), java.util.Arrays.asList(args), details);
    }

    /** A variant message for the same code, e.g. {@code INVALID_COMMAND.not_json}. */
    public static Outcome variant(ResultCode code, String variant, Map<String, Object> details, Object... args) {
        return new Outcome(code, code.name() + "." + variant, java.util.Arrays.asList(args), details);
    }

    /** Details with null values kept (Map.of refuses them). */
    public static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
