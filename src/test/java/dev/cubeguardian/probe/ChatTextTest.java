package dev.cubeguardian.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ChatTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String plain(String json) throws Exception {
        return ChatText.toPlainText(MAPPER.readTree(json));
    }

    @Test
    void plainStringDescription() throws Exception {
        assertEquals("A Minecraft Server", plain("\"A Minecraft Server\""));
    }

    @Test
    void stripsSectionSignCodesAndTrims() throws Exception {
        assertEquals("CubeGuardian rocks", plain("\"  \\u00a7l\\u00a7aCube\\u00a7rGuardian \\u00a7kro\\u00a7ocks \""));
    }

    @Test
    void flattensNestedExtraInOrder() throws Exception {
        String json = "{\"text\":\"\",\"extra\":[{\"text\":\"Cube\",\"color\":\"green\"},"
                + "{\"text\":\"Guard\",\"extra\":[{\"text\":\"ian\"},\" \",{\"text\":\"\\u00a7chub\"}]}]}";
        assertEquals("CubeGuardian hub", plain(json));
    }

    @Test
    void translateWithoutTextFallsBackToKeyAndArguments() throws Exception {
        assertEquals("multiplayer.status.motd Steve", plain("{\"translate\":\"multiplayer.status.motd\",\"with\":[\"Steve\"]}"));
    }

    @Test
    void topLevelArrayIsConcatenated() throws Exception {
        assertEquals("ab", plain("[\"a\",{\"text\":\"b\"}]"));
    }

    @Test
    void codeSplitAcrossComponentsIsStillStripped() throws Exception {
        assertEquals("xy", plain("{\"text\":\"x\\u00a7\",\"extra\":[\"ay\"]}"));
    }

    @Test
    void danglingSectionSignIsDropped() {
        assertEquals("abc", ChatText.stripFormatting("abc\u00a7"));
    }

    @Test
    void absurdNestingIsCutOffNotFatal() throws Exception {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            json.append("{\"text\":\"x\",\"extra\":[");
        }
        json.append("\"end\"");
        for (int i = 0; i < 200; i++) {
            json.append("]}");
        }
        JsonNode node = MAPPER.readTree(json.toString());
        assertEquals("x".repeat(33), ChatText.toPlainText(node));
    }

    @Test
    void missingDescriptionIsNull() {
        assertNull(ChatText.toPlainText(null));
    }
}
