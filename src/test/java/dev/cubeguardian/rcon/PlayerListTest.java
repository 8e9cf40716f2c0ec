package dev.cubeguardian.rcon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What `list` answers, read into the names of everyone online. */
@Timeout(10)
class PlayerListTest {

    @Test
    void theAnswerOf113AndLater() {
        assertEquals(List.of("alice", "bob", "Carol_3"),
                PlayerList.parse("There are 3 of a max of 20 players online: alice, bob, Carol_3"));
    }

    @Test
    void theAnswerBefore113WithTheNamesOnTheirOwnLine() {
        assertEquals(List.of("alice", "bob"), PlayerList.parse("There are 2/20 players online:\nalice, bob"));
    }

    @Test
    void nobodyOnline() {
        assertEquals(List.of(), PlayerList.parse("There are 0 of a max of 20 players online: "));
        assertEquals(List.of(), PlayerList.parse("There are 0/20 players online:\n"));
    }

    @Test
    void colourCodesAreNotPartOfTheNames() {
        assertEquals(List.of("alice", "bob"),
                PlayerList.parse("\u00A76There are \u00A7c2\u00A76 of a max of \u00A7c20\u00A76 players online: \u00A7ealice\u00A7r, \u00A7ebob\u00A7r"));
    }

    @Test
    void anAnswerThatIsNotAPlayerListIsNoList() {
        assertNull(PlayerList.parse("Unknown or incomplete command, see below for error"));
        assertNull(PlayerList.parse("Error executing: list (Server is shutting down)"));
        assertNull(PlayerList.parse(""));
    }

    @Test
    void aThousandPlayers() {
        StringBuilder answer = new StringBuilder("There are 1000 of a max of 1000 players online: ");
        for (int i = 0; i < 1000; i++) {
            answer.append(i == 0 ? "" : ", ").append("p").append(i);
        }
        List<String> names = PlayerList.parse(answer.toString());
        assertEquals(1000, names.size());
        assertEquals("p999", names.get(999));
    }
}
