package dev.cubeguardian.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.discord.command.BotContext;
import dev.cubeguardian.discord.command.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The {@code /server} command exactly as JDA sends it to Discord at registration (the JSON of
 * {@code updateCommands}), field by field, against what docs/discord.md tells the user.
 */
class SlashCommandsTest {

    /** A row of the docs' command table: {@code | `/server stop [delay_minutes] [force] [host]` | ...}. */
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `/server (\\w+(?: (?:on|off))?)((?: \\[\\w+])*)` \\|",
            Pattern.MULTILINE);
    private static final int STRING = 3;
    private static final int INTEGER = 4;
    private static final int BOOLEAN = 5;
    private static final int SUBCOMMAND = 1;
    private static final int SUBCOMMAND_GROUP = 2;
    private static final String HOST_EN = "Which host (defaults to the only one, or the main one)";
    private static final String HOST_FR = "Quelle machine (par défaut la seule, ou la principale)";

    private static final JsonNode SERVER = registered();

    private static JsonNode registered() {
        Commands commands = new Commands(new BotContext(null, null, null, null, null, null));
        try {
            return new ObjectMapper().readTree(SlashCommands.server(commands).toData().toJson());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    /** Every subcommand, those of a group ({@code /server idle on}) named "group sub". */
    private static Map<String, JsonNode> subcommands() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (JsonNode node : list(SERVER.path("options"))) {
            if (node.path("type").asInt() == SUBCOMMAND_GROUP) {
                list(node.path("options")).forEach(sub -> all.put(node.path("name").asText() + " " + sub.path("name").asText(), sub));
            } else {
                all.put(node.path("name").asText(), node);
            }
        }
        return all;
    }

    private static JsonNode subcommand(String name) {
        JsonNode found = subcommands().get(name);
        if (found == null) {
            throw new AssertionError("no subcommand " + name);
        }
        return found;
    }

    private static JsonNode option(String subcommand, String name) {
        return list(subcommand(subcommand).path("options")).stream().filter(o -> o.path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no option " + name + " in " + subcommand));
    }

    /** Subcommand to its options, in the order the docs' table lists them. */
    private static Map<String, List<String>> documented() throws IOException {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        Matcher row = DOCUMENTED.matcher(Files.readString(Path.of("docs/discord.md")));
        while (row.find()) {
            List<String> options = new ArrayList<>();
            for (String bracketed : row.group(2).trim().split(" ")) {
                if (!bracketed.isEmpty()) {
                    options.add(bracketed.substring(1, bracketed.length() - 1));
                }
            }
            commands.put(row.group(1), options);
        }
        return commands;
    }

    private static void assertDescribed(JsonNode node, String english, String french) {
        String where = node.path("name").asText();
        assertEquals(english, node.path("description").asText(), where);
        assertEquals(Map.of("fr", french), new ObjectMapper().convertValue(node.path("description_localizations"), Map.class),
                where + ": French and only French besides English");
        // Discord refuses the whole registration over one description of more than 100 characters
        assertTrue(english.length() <= 100 && french.length() <= 100, where);
        assertEquals(0, node.path("name_localizations").size(), where + ": names are the same in every language");
    }

    @Test
    void theSubcommandsAndTheirOptionsAreTheDocumentedOnesInTheDocumentedOrder() throws IOException {
        Map<String, List<String>> registered = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> sub : subcommands().entrySet()) {
            assertEquals(SUBCOMMAND, sub.getValue().path("type").asInt(), sub.toString());
            registered.put(sub.getKey(), list(sub.getValue().path("options")).stream().map(o -> o.path("name").asText()).toList());
        }
        assertEquals(Map.of("start", List.of("host"), "stop", List.of("delay_minutes", "force", "host"), "cancel", List.of("host"),
                "status", List.of("host"), "idle on", List.of("host"), "idle off", List.of("hours", "host"),
                "restart", List.of("force", "host")), documented(), "the docs' table as this test reads it");
        assertEquals(new ArrayList<>(documented().entrySet()), new ArrayList<>(registered.entrySet()));
    }

    @Test
    void everyOptionIsOptionalAndHostIsAutocompletedOnEverySubcommand() {
        for (Map.Entry<String, JsonNode> entry : subcommands().entrySet()) {
            JsonNode sub = entry.getValue();
            for (JsonNode option : list(sub.path("options"))) {
                assertFalse(option.path("required").asBoolean(true), entry.getKey() + " " + option);
                assertEquals(0, option.path("choices").size(), "no fixed choices: " + option);
            }
            JsonNode host = option(entry.getKey(), "host");
            assertEquals(STRING, host.path("type").asInt());
            // hosts come from the worker's bridge/info at the time of typing, not from a list fixed at registration
            assertTrue(host.path("autocomplete").asBoolean(), entry.getKey());
            assertDescribed(host, HOST_EN, HOST_FR);
        }
    }

    @Test
    void stopTakesAWholeNumberOfMinutesFromZeroTo1440AndAForceSwitch() {
        JsonNode delay = option("stop", "delay_minutes");
        assertEquals(INTEGER, delay.path("type").asInt());
        assertEquals(0, delay.path("min_value").asInt(-1));
        assertEquals(1440, delay.path("max_value").asInt(-1), "the worker's own limit (mqtt-api.md)");
        assertFalse(delay.path("autocomplete").asBoolean());
        assertDescribed(delay, "Minutes before the shutdown (0 = now, at most 1440)",
                "Minutes avant l’arrêt (0 = maintenant, au plus 1440)");
        JsonNode force = option("stop", "force");
        assertEquals(BOOLEAN, force.path("type").asInt());
        assertFalse(force.path("autocomplete").asBoolean());
        assertDescribed(force, "Shut down even with players online", "Éteindre même si des joueurs sont connectés");
    }

    @Test
    void idleOffTakesOneToOneHundredSixtyEightHoursAndRestartAForceSwitch() {
        JsonNode hours = option("idle off", "hours");
        assertEquals(INTEGER, hours.path("type").asInt());
        assertEquals(1, hours.path("min_value").asInt(-1));
        assertEquals(168, hours.path("max_value").asInt(-1), "10080 minutes, the worker's limit (mqtt-api.md)");
        assertEquals(BOOLEAN, option("restart", "force").path("type").asInt());
        assertDescribed(option("restart", "force"), "Restart even with players online", "Redémarrer même si des joueurs sont connectés");
    }

    @Test
    void everyDescriptionIsInEnglishWithItsFrenchLocalization() {
        assertDescribed(SERVER, "Wake, watch and shut down the game server", "Réveiller, surveiller et éteindre le serveur de jeu");
        assertDescribed(subcommand("start"), "Start the server: wake the host and follow it until the game is online",
                "Démarrer le serveur : réveiller la machine et suivre jusqu’à ce que le jeu soit en ligne");
        assertDescribed(subcommand("stop"), "Stop the server: shut the host down, now or later",
                "Arrêter le serveur : éteindre la machine, maintenant ou plus tard");
        assertDescribed(subcommand("cancel"), "Cancel a scheduled shutdown", "Annuler un arrêt programmé");
        assertDescribed(subcommand("status"), "Show the server’s state, players and version",
                "Afficher l’état du serveur, les joueurs et la version");
    }

    @Test
    void everyServerMemberSeesItOnlyInServersAndTheBotsOwnSettingsDecideWhoMayUseIt() {
        assertEquals("server", SERVER.path("name").asText());
        assertEquals(1, SERVER.path("type").asInt(), "a chat input (slash) command");
        // no default member permission: Discord shows it to everyone, as /server status is open to everyone by default
        assertTrue(SERVER.has("default_member_permissions") && SERVER.get("default_member_permissions").isNull(),
                SERVER.toString());
        // roles only exist in a server: not offered in DMs or group DMs, installed with the bot in a server
        assertEquals(List.of("0"), list(SERVER.path("contexts")).stream().map(JsonNode::asText).toList());
        assertEquals(List.of("0"), list(SERVER.path("integration_types")).stream().map(JsonNode::asText).toList());
        assertFalse(SERVER.path("nsfw").asBoolean(true));
    }
}
