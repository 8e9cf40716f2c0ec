package dev.cubeguardian.command;

/** What the parser makes of one MQTT message: a command to run, or a rejection to answer. */
public sealed interface Admission permits Command, Rejection {

    ReplyAddress replyAddress();
}
