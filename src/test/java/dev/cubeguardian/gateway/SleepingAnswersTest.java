package dev.cubeguardian.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.GatewaySettings.WakeOn;
import dev.cubeguardian.probe.ServiceStatus;
import dev.cubeguardian.state.GatewayView;
import dev.cubeguardian.state.HostState;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server list entry the gateway shows while the real server is not online. */
class SleepingAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ICON = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHe";
    private static final ServiceStatus SEEN = new ServiceStatus(true, "Paper 1.21.4", 3, 50, List.of("alice", "bob", "carol"),
            "A real server", 4L, ServiceStatus.SLP, ICON);

    private static SleepingAnswers answers(String motdSleeping, String motdStarting, Locale locale) {
        GatewaySettings settings = new GatewaySettings("0.0.0.0", 25565, WakeOn.LOGIN, List.of(), Duration.ofSeconds(60),
                motdSleeping, motdStarting, false);
        return new SleepingAnswers(settings, new GatewayTexts(locale), JSON);
    }

    private static SleepingAnswers defaults() {
        return answers(null, null, Locale.ENGLISH);
    }

    private static GatewayView view(HostState state, ServiceStatus seen) {
        return new GatewayView(state, seen, Optional.empty(), null);
    }

    private static JsonNode status(SleepingAnswers answers, GatewayView view, HostState shown, int protocol) throws Exception {
        return JSON.readTree(answers.statusJson(view, shown, protocol));
    }

    @ParameterizedTest(name = "client protocol {0}")
    @ValueSource(ints = {5, 47, 340, 754, 765, 769, 0x40000000 | 250})
    void theClientsOwnProtocolIsEchoedSoNoOutdatedWarningShows(int protocol) throws Exception {
        JsonNode status = status(defaults(), view(HostState.OFF, SEEN), HostState.OFF, protocol);

        assertEquals(protocol, status.at("/version/protocol").asInt());
        assertTrue(status.at("/version/protocol").isInt());
    }

    @Test
    void theLastSeenVersionMaximumAndIconAreShownWithNobodyOnline() throws Exception {
        JsonNode status = status(defaults(), view(HostState.OFF, SEEN), HostState.OFF, 769);

        assertEquals("Paper 1.21.4", status.at("/version/name").asText());
        assertEquals(50, status.at("/players/max").asInt());
        assertEquals(0, status.at("/players/online").asInt());
        assertEquals(0, status.at("/players/sample").size(), "the last players are not shown as playing");
        assertEquals(ICON, status.path("favicon").asText());
        assertEquals("Sleeping - join to wake it up", status.at("/description/text").asText());
    }

    @Test
    void beforeTheServerWasEverSeenNeutralValuesAndNoIcon() throws Exception {
        JsonNode status = status(defaults(), view(HostState.OFF, null), HostState.OFF, 47);

        assertEquals(SleepingAnswers.UNKNOWN_VERSION, status.at("/version/name").asText());
        assertEquals(0, status.at("/players/max").asInt());
        assertEquals(0, status.at("/players/online").asInt());
        assertFalse(status.has("favicon"));
    }

    @Test
    void aServerWithoutAnIconShowsNone() throws Exception {
        ServiceStatus noIcon = new ServiceStatus(true, "1.20.4", 0, 10, List.of(), "m", 1L, ServiceStatus.SLP);

        assertFalse(status(defaults(), view(HostState.OFF, noIcon), HostState.OFF, 765).has("favicon"));
    }

    @Test
    void anIconThatIsNotAPngDataUrlIsNeverRepeated() throws Exception {
        ServiceStatus odd = new ServiceStatus(true, "1.20.4", 0, 10, List.of(), "m", 1L, ServiceStatus.SLP,
                "javascript:alert(1)");

        assertFalse(status(defaults(), view(HostState.OFF, odd), HostState.OFF, 765).has("favicon"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "OFF         | Sleeping - join to wake it up",
        "UNREACHABLE | Sleeping - join to wake it up",
        "UNKNOWN     | Sleeping - join to wake it up",
        "WAKING      | Starting up, join again in a minute",
        "STARTING    | Starting up, join again in a minute",
        "STOPPING    | Shutting down"})
    void theMotdFollowsTheState(HostState state, String motd) throws Exception {
        assertEquals(motd, status(defaults(), view(state, SEEN), state, 769).at("/description/text").asText());
    }

    @Test
    void theMotdIsInTheWorkersLanguage() throws Exception {
        SleepingAnswers french = answers(null, null, Locale.FRENCH);

        assertEquals("En veille - rejoignez pour le réveiller",
                status(french, view(HostState.OFF, SEEN), HostState.OFF, 769).at("/description/text").asText());
        assertEquals("Démarrage en cours, rejoignez dans une minute",
                status(french, view(HostState.WAKING, SEEN), HostState.WAKING, 769).at("/description/text").asText());
    }

    @Test
    void customMotdsReplaceTheDefaultsAsWrittenEvenWithQuotesAndFormatting() throws Exception {
        SleepingAnswers custom = answers("§6Zzz \"lobby\" \\ {0} 😴", "§aBooting…", Locale.ENGLISH);

        assertEquals("§6Zzz \"lobby\" \\ {0} 😴",
                status(custom, view(HostState.OFF, SEEN), HostState.OFF, 769).at("/description/text").asText());
        assertEquals("§aBooting…", status(custom, view(HostState.STARTING, SEEN), HostState.STARTING, 769)
                .at("/description/text").asText());
        // stopping has no setting of its own
        assertEquals("Shutting down", status(custom, view(HostState.STOPPING, SEEN), HostState.STOPPING, 769)
                .at("/description/text").asText());
    }

    @Test
    void theShownStateDecidesNotTheViewsState() throws Exception {
        // online in the tracker, but the proxy found nobody: the gateway shows it as unreachable
        JsonNode status = status(defaults(), view(HostState.ONLINE, SEEN), HostState.UNREACHABLE, 769);

        assertEquals("Sleeping - join to wake it up", status.at("/description/text").asText());
    }

    @Test
    void theLegacyAnswerOf14To16ClientsCarriesVersionMotdAndMaximum() {
        String text = defaults().legacyText(view(HostState.OFF, SEEN), HostState.OFF, true);

        assertEquals("§1\u0000127\u0000Paper 1.21.4\u0000Sleeping - join to wake it up\u00000\u000050", text);
    }

    @Test
    void theLegacyAnswerOfOlderClientsIsMotdOnlineMaxWithoutSectionSigns() {
        SleepingAnswers custom = answers("§6Zzz", null, Locale.ENGLISH);

        assertEquals("Sleeping - join to wake it up§0§50", defaults().legacyText(view(HostState.OFF, SEEN), HostState.OFF, false));
        // the colour code goes whole (it is formatting, and § separates the fields)
        assertEquals("Zzz§0§0", custom.legacyText(view(HostState.OFF, null), HostState.OFF, false));
    }

    @Test
    void aDisconnectTextIsAJsonTextComponentWhateverItHolds() throws Exception {
        String hostile = "\"}],\"extra\":[{\"text\":\"\\u0000\n";

        JsonNode component = JSON.readTree(defaults().disconnectJson(hostile));

        assertEquals(1, component.size());
        assertEquals(hostile, component.path("text").asText());
    }
}
