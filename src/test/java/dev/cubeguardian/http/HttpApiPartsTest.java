package dev.cubeguardian.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API's small parts: settings, token, the failed-authentication limiter, the body's id. */
class HttpApiPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> map = new HashMap<>(Map.of("cubeguardian.http-api.enabled", "false",
                "cubeguardian.http-api.max-pending", "256", "cubeguardian.http-api.wait", "30s",
                "camel.management.enabled", "true"));
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void theApiIsOffUnlessEnabled() {
        assertFalse(HttpApiSettings.from(settings()::get).enabled());
    }

    @Test
    void enabledWithoutATokenFileStopsTheWorkerNamingTheSetting() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> HttpApiSettings.from(settings("cubeguardian.http-api.enabled", "true")::get));
        assertTrue(e.getMessage().contains("CUBEGUARDIAN_HTTP_API_TOKEN_FILE"), e.getMessage());
    }

    @Test
    void enabledWithoutTheManagementServerStopsTheWorker() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> HttpApiSettings.from(settings(
                "cubeguardian.http-api.enabled", "true", "cubeguardian.http-api.token-file", "/x",
                "camel.management.enabled", "false")::get));
        assertTrue(e.getMessage().contains("CUBEGUARDIAN_MANAGEMENT_ENABLED"), e.getMessage());
    }

    @Test
    void aMissingOrShortTokenFileIsRefusedWithoutShowingItsContent() throws Exception {
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> ApiToken.fromFile(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("CUBEGUARDIAN_HTTP_API_TOKEN_FILE"), missing.getMessage());
        Path shortOne = Files.writeString(dir.resolve("short"), "hunter2\n");
        InvalidSettingException tooShort = assertThrows(InvalidSettingException.class, () -> ApiToken.fromFile(shortOne));
        assertFalse(tooShort.getMessage().contains("hunter2"), tooShort.getMessage());
    }

    @Test
    void onlyTheExactBearerTokenIsAccepted() throws Exception {
        ApiToken token = ApiToken.fromFile(Files.writeString(dir.resolve("t"), "0123456789abcdef0123\n"));
        assertTrue(token.accepts("Bearer 0123456789abcdef0123"));
        assertTrue(token.accepts("bearer 0123456789abcdef0123"));
        assertFalse(token.accepts("Bearer 0123456789abcdef012"));
        assertFalse(token.accepts("Bearer 0123456789abcdef01234"));
        assertFalse(token.accepts("Basic 0123456789abcdef0123"));
        assertFalse(token.accepts("0123456789abcdef0123"));
        assertFalse(token.accepts(null));
        assertFalse(token.toString().contains("0123"));
    }

    @Test
    void failedAuthenticationsAreLimitedPerAddressInABoundedMap() {
        long[] now = {0};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        FailedAuthLimiter limiter = new FailedAuthLimiter(clock);
        for (int i = 0; i < FailedAuthLimiter.BURST; i++) {
            assertTrue(limiter.mayTry("a"));
            limiter.failed("a");
        }
        assertFalse(limiter.mayTry("a"));
        assertTrue(limiter.mayTry("b"));
        assertEquals(6, limiter.retryAfterSeconds("a"));
        now[0] += FailedAuthLimiter.REFILL_MS;
        assertTrue(limiter.mayTry("a"));
        for (int i = 0; i < FailedAuthLimiter.MAX_ADDRESSES * 2; i++) {
            limiter.failed("x" + i);
        }
        assertEquals(FailedAuthLimiter.MAX_ADDRESSES, limiter.tracked());
    }

    @Test
    void aBodyKeepsEveryByteAndGetsAnIdOnlyWhenItHasNone() {
        byte[] given = "{\"id\":\"c-1\" , \"force\":true}".getBytes(StandardCharsets.UTF_8);
        CommandBody same = CommandBody.of(given, JSON);
        assertEquals("c-1", same.id());
        assertEquals(new String(given, StandardCharsets.UTF_8), new String(same.payload(), StandardCharsets.UTF_8));

        CommandBody empty = CommandBody.of(new byte[0], JSON);
        assertTrue(new String(empty.payload(), StandardCharsets.UTF_8).matches("\\{\"id\":\"http-[0-9a-f-]{36}\"}"));

        CommandBody added = CommandBody.of(" {\"delay_minutes\": 5}".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals(" {\"id\":\"" + added.id() + "\",\"delay_minutes\": 5}", new String(added.payload(), StandardCharsets.UTF_8));
        CommandBody emptyObject = CommandBody.of("{ }".getBytes(StandardCharsets.UTF_8), JSON);
        assertEquals("{\"id\":\"" + emptyObject.id() + "\" }", new String(emptyObject.payload(), StandardCharsets.UTF_8));

        byte[] notJson = "delay=5".getBytes(StandardCharsets.UTF_8);
        assertNull(CommandBody.of(notJson, JSON).id());
        assertEquals("delay=5", new String(CommandBody.of(notJson, JSON).payload(), StandardCharsets.UTF_8));
        assertNull(CommandBody.of("{\"id\": 5}".getBytes(StandardCharsets.UTF_8), JSON).id());
    }

    @Test
    void hostsAndActionsMustBePlainTopicLevels() {
        assertTrue(PathNames.isHost("pve-1_a"));
        for (String bad : new String[] {"", "PVE", "a/b", "+", "#", "a\u0000", "$SYS", "..", "a".repeat(64)}) {
            assertFalse(PathNames.isHost(bad), bad);
            assertFalse(PathNames.isAction(bad), bad);
        }
        assertTrue(PathNames.isAction("wake"));
        assertFalse(PathNames.isAction("a".repeat(33)));
    }
}
