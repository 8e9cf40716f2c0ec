package dev.cubeguardian.wol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    private static final byte[] AABBCCDDEEFF = {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xEE,
            (byte) 0xFF};

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aa-bb-cc-dd-ee-ff",
            "aabb.ccdd.eeff", "AABB.CCDD.EEFF", "aabbccddeeff", "AABBCCDDEEFF", "Aa:bB:cc:DD:ee:Ff",
            "  AA:BB:CC:DD:EE:FF  ", "\taabbccddeeff\n"})
    void everySpellingGivesTheSameBytesAndCanonicalText(String text) {
        // When
        MacAddress mac = MacAddress.parse(text);

        // Then
        assertArrayEquals(AABBCCDDEEFF, mac.bytes());
        assertEquals("AA:BB:CC:DD:EE:FF", mac.toString());
        assertEquals("aabbccddeeff", mac.compact());
        assertEquals(MacAddress.parse("AA:BB:CC:DD:EE:FF"), mac);
        assertEquals(MacAddress.parse("AA:BB:CC:DD:EE:FF").hashCode(), mac.hashCode());
    }

    @Test
    void leadingZerosArePrinted() {
        MacAddress mac = MacAddress.parse("01-02-03-0a-0b-00");
        assertEquals("01:02:03:0A:0B:00", mac.toString());
        assertArrayEquals(new byte[] {1, 2, 3, 10, 11, 0}, mac.bytes());
    }

    @Test
    void bytesAreACopy() {
        MacAddress mac = MacAddress.parse("AA:BB:CC:DD:EE:FF");
        mac.bytes()[0] = 0;
        assertEquals("AA:BB:CC:DD:EE:FF", mac.toString());
    }

    @Test
    void differentAddressesAreNotEqual() {
        assertNotEquals(MacAddress.parse("AA:BB:CC:DD:EE:FF"), MacAddress.parse("AA:BB:CC:DD:EE:FE"));
    }

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {"AA:BB:CC:DD:EE", "AA:BB:CC:DD:EE:FF:00", "GG:BB:CC:DD:EE:FF", "AA:BB-CC:DD:EE:FF",
            "AA:BB:CC:DD:EE:F", "AABBCCDDEEF", "AABBCCDDEEFF0", "aabb.ccdd.eef", "aabb.ccdd-eeff", "aab.bccd.deeff",
            "AA BB CC DD EE FF", "AA::BB:CC:DD:EE:FF", ":AA:BB:CC:DD:EE:FF", "AA:BB:CC:DD:EE:FF:", "   ",
            "0xAABBCCDDEEFF", "ＡＡ:BB:CC:DD:EE:FF", "٠١:02:03:04:05:06"})
    void invalidSpellingsAreRejected(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));
        if (text != null) {
            assertEquals("'" + text + "' is not a MAC address"
                    + " (expected AA:BB:CC:DD:EE:FF, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)",
                    error.getMessage());
        } else {
            assertEquals("MAC address is missing", error.getMessage());
        }
    }
}
