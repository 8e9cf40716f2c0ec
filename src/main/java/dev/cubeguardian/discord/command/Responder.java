package dev.cubeguardian.discord.command;

import dev.cubeguardian.discord.Card;

/** How a command answers; the Discord listener implements it over an interaction. */
public interface Responder {

    /** A refusal only the user sees; it is the whole answer (nothing was acknowledged before). */
    void deny(String text);

    /** Acknowledges the interaction (deferred reply, or deferred edit for a button). */
    void acknowledge();

    /** Shows the card in the acknowledged message, replacing what it showed. */
    void show(Card card);
}
