package dev.cubeguardian.discord;

import java.util.List;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/** Card -> JDA: an embed, and its buttons in one action row. */
public final class JdaCards {

    private JdaCards() {
    }

    public static MessageEmbed embed(Card card) {
        EmbedBuilder embed = new EmbedBuilder().setTitle(card.title()).setColor(card.tone().rgb());
        if (!card.lines().isEmpty()) {
            embed.setDescription(card.description());
        }
        for (Card.Field field : card.fields()) {
            embed.addField(field.name(), field.value(), field.inline());
        }
        if (card.footer() != null) {
            embed.setFooter(card.footer());
        }
        return embed.build();
    }

    public static MessageEditData edit(Card card) {
        MessageEditBuilder edit = new MessageEditBuilder().setEmbeds(embed(card));
        if (card.buttons().isEmpty()) {
            edit.setComponents(List.of());
        } else {
            edit.setComponents(ActionRow.of(card.buttons().stream().map(JdaCards::button).toList()));
        }
        return edit.build();
    }

    static Button button(Card.Action action) {
        return switch (action.style()) {
            case PRIMARY -> Button.primary(action.id(), action.label());
            case SUCCESS -> Button.success(action.id(), action.label());
            case DANGER -> Button.danger(action.id(), action.label());
            case SECONDARY -> Button.secondary(action.id(), action.label());
        };
    }
}
