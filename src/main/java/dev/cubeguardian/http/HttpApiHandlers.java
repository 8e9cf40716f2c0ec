package dev.cubeguardian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The API's routes on the management server's Vert.x router. Every handler runs on the event
 * loop and returns at once: authentication and checks are in memory, the command's wait is a
 * future completed by the MQTT connection's callback, and the answer is written back on the
 * request's own Vert.x context. The order of checks is the order of cost: the token before the
 * body is read, the body's size as it arrives, its shape before anything reaches the broker.
 */
final class HttpApiHandlers {

    static final String PREFIX = "/api/v1";
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** A request whose body has not fully arrived by then is answered 408 and its connection closed. */
    static final long BODY_TIMEOUT_MS = 10_000;
    /**
     * Every operation ("METHOD path") and the statuses it can answer: docs/openapi.yaml is
     * checked against this (HttpApiOpenApiTest), so a new path or status cannot go undocumented.
     */
    static final Map<String, java.util.Set<Integer>> OPERATIONS = Map.of(
            "GET " + PREFIX + "/hosts", java.util.Set.of(200, 401, 429),
            "GET " + PREFIX + "/hosts/{host}", java.util.Set.of(200, 401, 404, 429),
            "POST " + PREFIX + "/hosts/{host}/{action}", java.util.Set.of(200, 400, 401, 408, 413, 415, 429, 503, 504));
    private static final Pattern KNOWN_PATH = Pattern.compile(Pattern.quote(PREFIX) + "/hosts(/[^/]+(/[^/]+)?)?/?");

    private final String baseTopic;
    private final ApiToken token;
    private final FailedAuthLimiter limiter;
    private final CommandRelay relay;
    private final HostStates states;
    private final ObjectMapper json;
    private final long waitMillis;
    private final dev.cubeguardian.observe.WorkerMetrics metrics;

    HttpApiHandlers(String baseTopic, ApiToken token, FailedAuthLimiter limiter, CommandRelay relay, HostStates states,
            ObjectMapper json, long waitMillis, dev.cubeguardian.observe.WorkerMetrics metrics) {
        this.metrics = metrics;
        this.baseTopic = baseTopic;
        this.token = token;
        this.limiter = limiter;
        this.relay = relay;
        this.states = states;
        this.json = json;
        this.waitMillis = waitMillis;
    }

    void install(Router router) {
        router.route(PREFIX + "/*").order(-100).handler(this::guard).failureHandler(this::failure);
        router.get(PREFIX + "/hosts").handler(ctx -> ApiReplies.json(ctx, 200,
                Map.of("v", 1, "hosts", List.copyOf(states.all().values())), json));
        router.get(PREFIX + "/hosts/:host").handler(this::oneHost);
        router.post(PREFIX + "/hosts/:host/:action")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::command)
                .failureHandler(this::failure);
        // anything else under /api/v1: JSON, not Vert.x's text page
        router.route(PREFIX + "/*").handler(ctx -> {
            if (KNOWN_PATH.matcher(ctx.normalizedPath()).matches()) {
                ctx.response().putHeader("Allow", ctx.normalizedPath().split("/").length == 6 ? "POST" : "GET");
                ApiReplies.error(ctx, 405, "METHOD_NOT_ALLOWED", "method not allowed on this path", null, json);
            } else {
                ApiReplies.error(ctx, 404, "NOT_FOUND", "no such API path", null, json);
            }
        });
    }

    /** Token first: nobody without it makes the worker read a body, parse JSON or touch the broker. */
    private void guard(RoutingContext ctx) {
        ctx.addEndHandler(done -> metrics.httpApiAnswered(ctx.response().getStatusCode()));
        String address = clientAddress(ctx);
        if (!limiter.mayTry(address)) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, limiter.retryAfterSeconds(address))));
            ApiReplies.error(ctx, 429, "TOO_MANY_REQUESTS", "too many failed authentications from this address; try later",
                    null, json);
            return;
        }
        String query = ctx.request().query();
        if (query != null && query.toLowerCase(Locale.ROOT).matches("(^|.*&)(access_token|token)=.*")) {
            // a token in a URL ends up in logs, shell history and proxies: refused even when right
            limiter.failed(address);
            unauthorized(ctx, "invalid_request", "the token is accepted only in the Authorization header, never in the URL");
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            limiter.failed(address);
            unauthorized(ctx, null, "missing Authorization: Bearer <token>");
            return;
        }
        if (!token.accepts(authorization)) {
            limiter.failed(address);
            unauthorized(ctx, "invalid_token", "wrong token");
            return;
        }
        if (ctx.request().method() == HttpMethod.POST) {
            Vertx vertx = ctx.vertx();
            long timer = vertx.setTimer(BODY_TIMEOUT_MS, id -> {
                if (!ctx.response().ended() && !ctx.request().isEnded()) {
                    ctx.response().putHeader("Connection", "close");
                    ApiReplies.error(ctx, 408, "REQUEST_TIMEOUT", "the request body did not arrive within "
                            + BODY_TIMEOUT_MS / 1000 + " s", null, json);
                    ctx.request().connection().close();
                }
            });
            ctx.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    private void unauthorized(RoutingContext ctx, String error, String message) {
        String challenge = "Bearer realm=\"cubeguardian\"" + (error == null ? "" : ", error=\"" + error + "\"");
        ctx.response().putHeader("WWW-Authenticate", challenge);
        ApiReplies.error(ctx, 401, "UNAUTHORIZED", message, null, json);
    }

    private void oneHost(RoutingContext ctx) {
        String host = ctx.pathParam("host");
        Map<String, Object> state = PathNames.isHost(host) ? states.one(host) : null;
        if (state == null) {
            ApiReplies.error(ctx, 404, "UNKNOWN_HOST", "this worker has no such host", null, json);
        } else {
            ApiReplies.json(ctx, 200, state, json);
        }
    }

    private void command(RoutingContext ctx) {
        String host = ctx.pathParam("host");
        String action = ctx.pathParam("action");
        if (!PathNames.isHost(host) || !PathNames.isAction(action)) {
            ApiReplies.error(ctx, 400, "INVALID_COMMAND", "{host} must match [a-z0-9][a-z0-9_-]{0,62} and {action}"
                    + " [a-z][a-z0-9_-]{0,31}; nothing was sent", null, json);
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String type = ctx.request().getHeader("Content-Type");
        if (body.length > 0 && (type == null || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?"))) {
            ApiReplies.error(ctx, 415, "UNSUPPORTED_MEDIA_TYPE", "a body must be Content-Type: application/json", null, json);
            return;
        }
        CommandBody command = CommandBody.of(body, json);
        Context context = Vertx.currentContext();
        relay.send(baseTopic + "/" + host + "/cmd/" + action, command.payload(), waitMillis)
                .whenComplete((result, failure) -> context.runOnContext(v -> {
                    if (failure == null) {
                        ApiReplies.json(ctx, 200, result);
                    } else if (failure instanceof TimeoutException) {
                        ApiReplies.error(ctx, 504, "RESULT_TIMEOUT", "no result within " + waitMillis / 1000
                                + " s; the command may still run: retry with the same id to get its result", command.id(), json);
                    } else if (failure instanceof CommandRelay.Refused refused) {
                        ctx.response().putHeader("Retry-After", "1");
                        ApiReplies.error(ctx, refused.status, "UNAVAILABLE", refused.getMessage(), command.id(), json);
                    } else {
                        ApiReplies.error(ctx, 500, "INTERNAL_ERROR", "the command could not be relayed", command.id(), json);
                    }
                }));
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String message = status == 413 ? "the body is larger than " + MAX_BODY_BYTES + " bytes" : "the request failed";
        if (status == 413) {
            ctx.response().putHeader("Connection", "close");
        }
        ApiReplies.error(ctx, status, ApiReplies.codeOf(status), message, null, json);
    }

    private static String clientAddress(RoutingContext ctx) {
        // the socket's address: a forwarded header is the client's say-so, not where it is
        return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
    }

}
