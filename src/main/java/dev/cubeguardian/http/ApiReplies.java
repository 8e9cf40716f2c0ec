package dev.cubeguardian.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API's own answers: every error is JSON {@code {"error": {"code", "message"}}} (plus
 * the command's {@code id} where one is known), never a stack trace, never the token.
 */
final class ApiReplies {

    static final String JSON = "application/json; charset=utf-8";

    private ApiReplies() {
    }

    static void json(RoutingContext ctx, int status, byte[] body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(Buffer.buffer(body));
    }

    static void json(RoutingContext ctx, int status, Object value, ObjectMapper json) {
        try {
            json(ctx, status, json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            json(ctx, 500, "{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"cannot write the answer\"}}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static void error(RoutingContext ctx, int status, String code, String message, String id, ObjectMapper json) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        body.put("error", error);
        json(ctx, status, body, json);
    }

    /** The HTTP status's own error code, for answers Vert.x decided (413 from the body limit and so on). */
    static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "BODY_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 429 -> "TOO_MANY_REQUESTS";
            case 503 -> "UNAVAILABLE";
            case 504 -> "RESULT_TIMEOUT";
            default -> "INTERNAL_ERROR";
        };
    }
}
