package dev.cubeguardian.http;

import dev.cubeguardian.config.InvalidSettingException;
import dev.cubeguardian.mqtt.MqttClientSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API's bearer token, read once from its file. Only its SHA-256 is kept, and a presented
 * token is compared digest to digest with MessageDigest.isEqual: the time taken says nothing
 * about how much of it was right, nor about its length. toString never shows it.
 */
public final class ApiToken {

    static final int MIN_LENGTH = 16;
    private final byte[] digest;

    private ApiToken(byte[] digest) {
        this.digest = digest;
    }

    public static ApiToken fromFile(Path file) {
        String token;
        try {
            token = MqttClientSettings.readSecret(file);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException("CUBEGUARDIAN_HTTP_API_TOKEN_FILE: " + e.getMessage()
                    + "; the HTTP API does not start without its token", e);
        }
        token = token.strip();
        if (token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // the content is never part of the message
            throw new InvalidSettingException("CUBEGUARDIAN_HTTP_API_TOKEN_FILE " + file + " must hold one token of at least "
                    + MIN_LENGTH + " printable ASCII characters without spaces (openssl rand -hex 32 makes one)");
        }
        return new ApiToken(sha256(token));
    }

    /** The value of an Authorization header: "Bearer <token>". */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}
