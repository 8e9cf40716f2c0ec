package dev.cubeguardian.command;

/** A message that is answered with an error and never executed. */
public record Rejection(ReplyAddress replyAddress, Outcome outcome) implements Admission {
}
