package dev.cubeguardian.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated command messages: random bytes, truncated and deeply nested JSON, wrong types,
 * huge numbers, unicode, shell metacharacters in every field, odd topic levels; and a share
 * of valid commands whose expected parse is known. With {@code mqttSafe}, topics stay
 * publishable and inside {@code cubeguardian/+/cmd/+}.
 */
final class FuzzInput {

    record Valid(String host, String action, String id, Integer delay, Boolean force, String requestedBy, Integer ttl) {
    }

    record Case(String topic, byte[] payload, Long expirySeconds, Valid valid) {
        boolean expectValid() {
            return valid != null;
        }

        @Override
        public String toString() {
            return topic + " " + ParserFuzzIT.show(payload) + (expirySeconds == null ? "" : " expiry=" + expirySeconds);
        }
    }

    static final List<String> HOSTS = List.of("pve", "a-b_c", "9");
    static final List<String> ACTIONS = List.of("wake", "shutdown", "cancel", "check");
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
    private static final String[] SHELL = {"; reboot", "$(reboot)", "`id`", "| sh", "&& rm -rf /", "> /etc/passwd", "'\"", "\\n",
        "%s%n", "${jndi:ldap://127.0.0.1/x}", "\u0000", "\r\nshutdown -h now", "*", "~", "!!"};
    private static final String[] UNICODE = {"é", "ß", "中文", "🙂", "\u202e", "\ufeff", "\u00a0", "𝔘", "\ud800", "ｗａｋｅ"};
    private static final String[] ODD_HOSTS = {"PVE", "", "_x", "-x", "a".repeat(64), "a".repeat(63), "pvé", "a b", "$(reboot)",
        "pve;rm", "nope", "x-y", "0", "pve\u0000", "..", "*", "中文", "a".repeat(300)};
    private static final String[] ODD_ACTIONS = {"WAKE", "REBOOT", "hibernate", "", "wake ", "ｗａｋｅ", "check;reboot", "shutdown$(id)", "x".repeat(300)};
    private static final String[] FIELDS = {"id", "delay_minutes", "force", "requested_by", "ttl_s"};

    private final Random random;
    private final boolean mqttSafe;

    FuzzInput(Random random) {
        this(random, false);
    }

    FuzzInput(Random random, boolean mqttSafe) {
        this.random = random;
        this.mqttSafe = mqttSafe;
    }

    Case next() {
        Long expiry = random.nextInt(10) == 0 ? (long) random.nextInt(100_000) : null;
        int kind = random.nextInt(100);
        if (kind < 20) {
            Valid v = valid();
            return new Case("cubeguardian/" + v.host() + "/cmd/" + v.action(), json(v).getBytes(StandardCharsets.UTF_8), expiry, v);
        }
        String topic = topic();
        byte[] payload;
        if (kind < 30) {
            payload = new byte[random.nextInt(300)];
            random.nextBytes(payload);
        } else if (kind < 55) {
            payload = mutated().getBytes(StandardCharsets.UTF_8);
        } else if (kind < 65) {
            String whole = random.nextBoolean() ? json(valid()) : mutated();
            payload = whole.substring(0, random.nextInt(Math.max(1, whole.length()))).getBytes(StandardCharsets.UTF_8);
        } else if (kind < 70) {
            int depth = 1 + random.nextInt(random.nextBoolean() ? 50 : 3_000);
            String open = random.nextBoolean() ? "[" : "{\"a\":";
            String close = open.equals("[") ? "]" : "}";
            payload = ("{\"id\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
        } else if (kind < 77) {
            String[] notObjects = {"[]", "\"x\"", "null", "true", "1", "1e999", "[{\"id\":\"a\"}]", "\"{}\"", "{}{}", "{} x", "{\"id\":\"a\"}]"};
            payload = notObjects[random.nextInt(notObjects.length)].getBytes(StandardCharsets.UTF_8);
        } else if (kind < 82) {
            int size = 4_000 + random.nextInt(2_000);
            String head = "{\"id\":\"big-" + random.nextInt(1000) + "\",\"pad\":\"";
            payload = (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.UTF_8);
        } else if (kind < 87) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            payload = ("{\"" + field + "\":" + value(field) + ",\"" + field + "\":" + value(field) + "}").getBytes(StandardCharsets.UTF_8);
        } else if (kind < 90) {
            String[] blank = {"", " ", "\t\r\n", "   \n", "\u000b", "\u00a0"};
            payload = blank[random.nextInt(blank.length)].getBytes(StandardCharsets.UTF_8);
        } else {
            Valid v = valid();
            payload = json(v).getBytes(StandardCharsets.UTF_8);
        }
        return new Case(topic, payload, expiry, null);
    }

    private String topic() {
        int r = random.nextInt(10);
        String host = r < 6 ? HOSTS.get(random.nextInt(HOSTS.size())) : ODD_HOSTS[random.nextInt(ODD_HOSTS.length)];
        if (random.nextInt(8) == 0) {
            host = host + SHELL[random.nextInt(SHELL.length)] + UNICODE[random.nextInt(UNICODE.length)];
        }
        String action = random.nextInt(4) > 0 ? ACTIONS.get(random.nextInt(ACTIONS.size())) : ODD_ACTIONS[random.nextInt(ODD_ACTIONS.length)];
        if (mqttSafe) {
            return "cubeguardian/" + publishable(host) + "/cmd/" + publishable(action);
        }
        return switch (random.nextInt(20)) {
            case 0 -> "cubeguardian/" + host + "/cmd/" + action + "/extra";
            case 1 -> "other/" + host + "/cmd/" + action;
            case 2 -> "cubeguardian/" + host + "/result/" + action;
            case 3 -> ""; // a null topic: see ParserFuzzIT.aNullTopicIsRejectedNotThrown
            case 4 -> "cubeguardian/" + host + "/" + action;
            default -> "cubeguardian/" + host + "/cmd/" + action;
        };
    }

    /** A topic level MQTT lets one publish (and Mosquitto accepts): no '/', '+', '#', control characters, lone surrogates. */
    private static String publishable(String level) {
        StringBuilder out = new StringBuilder();
        level.codePoints().filter(cp -> cp != '/' && cp != '+' && cp != '#' && !Character.isISOControl(cp) && !(cp >= 0xD800 && cp <= 0xDFFF))
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    Valid valid() {
        String host = HOSTS.get(random.nextInt(HOSTS.size()));
        String action = ACTIONS.get(random.nextInt(ACTIONS.size()));
        String id = random.nextInt(5) == 0 ? null : id(1 + random.nextInt(64));
        Integer delay = random.nextBoolean() ? null : pick(0, 1440, random.nextInt(1441));
        Boolean force = random.nextBoolean() ? null : random.nextBoolean();
        String by = random.nextBoolean() ? null : text(1 + random.nextInt(128));
        Integer ttl = random.nextBoolean() ? null : pick(1, 86_400, 1 + random.nextInt(86_400));
        return new Valid(host, action, id, delay, force, by, ttl);
    }

    private Integer pick(int min, int max, int any) {
        return switch (random.nextInt(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> any;
        };
    }

    private String id(int length) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /** Text of exactly {@code length} UTF-16 units, no control characters: letters, shell metacharacters, BMP unicode. */
    private String text(int length) {
        StringBuilder text = new StringBuilder();
        String pool = "abc XYZ 019 ;$()`|&><'\"\\*~!{}[]#%éß中文\u202e\ufeff\u00a0ｗ";
        while (text.length() < length) {
            text.append(pool.charAt(random.nextInt(pool.length())));
        }
        return text.toString();
    }

    static String json(Valid v) {
        StringBuilder json = new StringBuilder("{");
        List<String> parts = new ArrayList<>();
        if (v.id() != null) {
            parts.add("\"id\":" + quote(v.id()));
        }
        if (v.delay() != null) {
            parts.add("\"delay_minutes\":" + v.delay());
        }
        if (v.force() != null) {
            parts.add("\"force\":" + v.force());
        }
        if (v.requestedBy() != null) {
            parts.add("\"requested_by\":" + quote(v.requestedBy()));
        }
        if (v.ttl() != null) {
            parts.add("\"ttl_s\":" + v.ttl());
        }
        parts.add("\"unknown_field\":{\"x\":[1,2,\"; reboot\"]}");
        java.util.Collections.shuffle(parts, new Random(parts.size()));
        json.append(String.join(",", parts)).append('}');
        return json.toString();
    }

    /** A JSON object whose fields take any value: right type or not, in range or not. */
    private String mutated() {
        List<String> parts = new ArrayList<>();
        for (String field : FIELDS) {
            if (random.nextInt(3) > 0) {
                parts.add(quote(field) + ":" + value(field));
            }
        }
        if (random.nextInt(4) == 0) {
            parts.add(quote(SHELL[random.nextInt(SHELL.length)]) + ":" + value("x"));
        }
        return "{" + String.join(",", parts) + "}";
    }

    private String value(String field) {
        return switch (random.nextInt(22)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "false";
            case 3 -> "\"5\"";
            case 4 -> "5.5";
            case 5 -> "5.0";
            case 6 -> "5e0";
            case 7 -> "-1";
            case 8 -> "0";
            case 9 -> "1441";
            case 10 -> "86401";
            case 11 -> "99999999999999999999999999999999";
            case 12 -> "-99999999999999999999999999999999";
            case 13 -> "1e400";
            case 14 -> "2147483648";
            case 15 -> "[]";
            case 16 -> "{}";
            case 17 -> quote(id(1 + random.nextInt(70)));
            case 18 -> quote(SHELL[random.nextInt(SHELL.length)] + text(random.nextInt(10)));
            case 19 -> quote(UNICODE[random.nextInt(UNICODE.length)].repeat(1 + random.nextInt(140)));
            case 20 -> quote("x".repeat(random.nextInt(200)));
            default -> String.valueOf(random.nextInt(100_000) - 10);
        };
    }

    /** JSON string literal; lone surrogates and control characters are escaped so the JSON itself stays valid. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20 || Character.isSurrogate(ch)) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
