package dev.cubeguardian.discord;

/** The Discord front-end: `cubeguardian discord`. (Placeholder until the front-end lands.) */
public final class DiscordFrontEnd {

    private DiscordFrontEnd() {
    }

    /** @return the process exit status */
    public static int run(String[] args) {
        System.err.println("cubeguardian discord: not available in this build yet");
        return 2;
    }
}
