package dev.cubeguardian.wol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SecureOnPasswordTest {

    static Stream<Arguments> validPasswords() {
        return Stream.of(
                Arguments.of("01:02:03:04:05:06", new byte[] {1, 2, 3, 4, 5, 6}),
                Arguments.of("01-02-03-04-05-06", new byte[] {1, 2, 3, 4, 5, 6}),
                Arguments.of("aa:BB:cc:DD:ee:FF", new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD,
                        (byte) 0xEE, (byte) 0xFF}),
                Arguments.of("01:02:03:04", new byte[] {1, 2, 3, 4}),
                Arguments.of("de-ad-be-ef", new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}),
                Arguments.of("192.0.2.1", new byte[] {(byte) 192, 0, 2, 1}),
                Arguments.of("255.255.255.255", new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255}),
                Arguments.of("0.0.0.0", new byte[] {0, 0, 0, 0}),
                Arguments.of("010.001.002.003", new byte[] {10, 1, 2, 3}),
                Arguments.of("  01:02:03:04  ", new byte[] {1, 2, 3, 4}));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("validPasswords")
    void validPasswordGivesExactBytes(String text, byte[] expected) {
        assertArrayEquals(expected, SecureOnPassword.parse(text).bytes());
    }

    @Test
    void bytesAreACopy() {
        SecureOnPassword password = SecureOnPassword.parse("01:02:03:04");
        password.bytes()[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, password.bytes());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"256.1.1.1", "1.1.1.256", "999.0.0.0"})
    void dottedByteOver255IsRejected(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SecureOnPassword.parse(text));
        assertEquals("'" + text + "' has a byte over 255", error.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {"01:02:03", "01:02:03:04:05", "01:02:03:04:05:06:07", "0g:02:03:04", "1.2.3", "1.2.3.4.5",
            "01:02-03:04:05:06x", "1.2.3.4x", "1234.1.1.1", "-1.2.3.4"})
    void notFourOrSixBytesIsRejected(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SecureOnPassword.parse(text));
        assertTrue(error.getMessage().endsWith(" is not a SecureOn password"
                + " (expected 6 bytes like 01:02:03:04:05:06 or 4 bytes like 01:02:03:04 or 192.0.2.1)"),
                error.getMessage());
    }
}
