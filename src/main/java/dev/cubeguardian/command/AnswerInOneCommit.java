package dev.cubeguardian.command;

import dev.cubeguardian.mqtt.MqttOut;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Route {@code cmd-run}'s last step: the command's answer (route {@code cmd-answer}: the result
 * recorded, published, and what it started followed) reaches the disk in one commit, and none of
 * its messages goes out before that commit. Without it, a kill -9 after the answer was saved but
 * before the work it started was saved left a wake or shutdown answered that no restart
 * followed to its {@code completed} event: the retry got the saved answer, and nothing more.
 */
public final class AnswerInOneCommit {

    private final CommandLedger ledger;
    private final ProducerTemplate template;

    public AnswerInOneCommit(CommandLedger ledger, ProducerTemplate template) {
        this.ledger = ledger;
        this.template = template;
    }

    public void answer(Exchange exchange) {
        MqttOut.publishAfter(() -> ledger.inOneCommit(() -> template.send("direct:cmd-answer", exchange)));
    }
}
