package dev.cubeguardian.discord;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.requests.restaction.WebhookMessageEditAction;
import net.dv8tion.jda.api.requests.restaction.interactions.MessageEditCallbackAction;
import net.dv8tion.jda.api.requests.restaction.interactions.ReplyCallbackAction;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/**
 * Fakes of JDA's own interfaces only (interaction events, reply actions, the hook), in the
 * spirit of TJ-Bot's JdaTester: everything the user would see is recorded.
 */
final class FakeDiscord {

    /** What one interaction showed the user. */
    static final class Seen {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<MessageEditData> edits = Collections.synchronizedList(new ArrayList<>());
        volatile String reply;
        volatile Boolean ephemeral;

        synchronized List<MessageEditData> edits() {
            synchronized (edits) {
                return List.copyOf(edits);
            }
        }

        MessageEmbed lastEmbed() {
            List<MessageEditData> all = edits();
            return all.isEmpty() ? null : all.get(all.size() - 1).getEmbeds().get(0);
        }

        /** The newest line of each edit's embed: the step it added. */
        List<String> steps() {
            return edits().stream().map(e -> {
                String text = e.getEmbeds().get(0).getDescription();
                String[] lines = text == null ? new String[] {""} : text.split("\n");
                return lines[lines.length - 1];
            }).toList();
        }

        List<Button> lastButtons() {
            List<MessageEditData> all = edits();
            if (all.isEmpty()) {
                return List.of();
            }
            return all.get(all.size() - 1).getComponents().stream()
                    .flatMap(c -> ((ActionRow) c).getButtons().stream()).toList();
        }
    }

    private FakeDiscord() {
    }

    /** A subcommand of a group: {@code /server idle off}. */
    static SlashCommandInteractionEvent slash(String group, String subcommand, String userId, List<String> roleIds,
            DiscordLocale locale, Map<String, Object> options, Seen seen) {
        SlashCommandInteractionEvent event = slash(subcommand, userId, roleIds, locale, options, seen);
        when(event.getSubcommandGroup()).thenReturn(group);
        return event;
    }

    static SlashCommandInteractionEvent slash(String subcommand, String userId, List<String> roleIds, DiscordLocale locale,
            Map<String, Object> options, Seen seen) {
        SlashCommandInteractionEvent event = mock(SlashCommandInteractionEvent.class);
        when(event.getName()).thenReturn("server");
        when(event.getSubcommandName()).thenReturn(subcommand);
        User user = user(userId);
        when(event.getUser()).thenReturn(user);
        Member member = member(roleIds);
        when(event.getMember()).thenReturn(member);
        when(event.getUserLocale()).thenReturn(locale);
        options.forEach((name, value) -> {
            OptionMapping mapping = mock(OptionMapping.class);
            when(mapping.getAsString()).thenReturn(String.valueOf(value));
            if (value instanceof Integer i) {
                when(mapping.getAsInt()).thenReturn(i);
            }
            if (value instanceof Boolean b) {
                when(mapping.getAsBoolean()).thenReturn(b);
            }
            when(event.getOption(name)).thenReturn(mapping);
        });
        ReplyCallbackAction deferred = mock(ReplyCallbackAction.class);
        doAnswer(inv -> seen.calls.add("deferReply")).when(deferred).queue();
        when(event.deferReply()).thenReturn(deferred);
        ReplyCallbackAction reply = replyAction(seen);
        when(event.reply(anyString())).thenAnswer(inv -> {
            seen.reply = inv.getArgument(0);
            seen.calls.add("reply");
            return reply;
        });
        InteractionHook hook = hook(seen);
        when(event.getHook()).thenReturn(hook);
        return event;
    }

    static ButtonInteractionEvent button(String componentId, String userId, List<String> roleIds, DiscordLocale locale,
            Seen seen) {
        ButtonInteractionEvent event = mock(ButtonInteractionEvent.class);
        when(event.getComponentId()).thenReturn(componentId);
        User user = user(userId);
        when(event.getUser()).thenReturn(user);
        Member member = member(roleIds);
        when(event.getMember()).thenReturn(member);
        when(event.getUserLocale()).thenReturn(locale);
        MessageEditCallbackAction deferred = mock(MessageEditCallbackAction.class);
        doAnswer(inv -> seen.calls.add("deferEdit")).when(deferred).queue();
        when(event.deferEdit()).thenReturn(deferred);
        ReplyCallbackAction reply = replyAction(seen);
        when(event.reply(anyString())).thenAnswer(inv -> {
            seen.reply = inv.getArgument(0);
            seen.calls.add("reply");
            return reply;
        });
        InteractionHook hook = hook(seen);
        when(event.getHook()).thenReturn(hook);
        return event;
    }

    /** The host option's autocomplete as Discord sends it while typing; the choices offered land in {@code offered}. */
    @SuppressWarnings("unchecked")
    static net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent autocomplete(String group,
            String subcommand, String userId, List<String> roleIds, String typed,
            List<net.dv8tion.jda.api.interactions.commands.Command.Choice> offered) {
        var event = mock(net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent.class);
        when(event.getName()).thenReturn("server");
        when(event.getSubcommandGroup()).thenReturn(group);
        when(event.getSubcommandName()).thenReturn(subcommand);
        User user = user(userId);
        when(event.getUser()).thenReturn(user);
        Member member = member(roleIds);
        when(event.getMember()).thenReturn(member);
        var focused = new net.dv8tion.jda.api.interactions.AutoCompleteQuery(
                new OptionMapping(net.dv8tion.jda.api.utils.data.DataObject.empty().put("name", "host").put("type", 3)
                        .put("value", typed).put("focused", true), null, null, null));
        when(event.getFocusedOption()).thenReturn(focused);
        var reply = mock(net.dv8tion.jda.api.requests.restaction.interactions.AutoCompleteCallbackAction.class);
        when(event.replyChoices(any(java.util.Collection.class))).thenAnswer(inv -> {
            offered.addAll(inv.getArgument(0));
            return reply;
        });
        return event;
    }

    private static ReplyCallbackAction replyAction(Seen seen) {
        ReplyCallbackAction reply = mock(ReplyCallbackAction.class);
        when(reply.setEphemeral(anyBoolean())).thenAnswer(inv -> {
            seen.ephemeral = inv.getArgument(0);
            return reply;
        });
        return reply;
    }

    @SuppressWarnings("unchecked")
    private static InteractionHook hook(Seen seen) {
        InteractionHook hook = mock(InteractionHook.class);
        WebhookMessageEditAction<Message> action = mock(WebhookMessageEditAction.class);
        when(hook.editOriginal(any(MessageEditData.class))).thenAnswer(inv -> {
            seen.edits.add(inv.getArgument(0));
            seen.calls.add("edit");
            return action;
        });
        return hook;
    }

    private static User user(String id) {
        User user = mock(User.class);
        when(user.getId()).thenReturn(id);
        return user;
    }

    private static Member member(List<String> roleIds) {
        Member member = mock(Member.class);
        List<Role> roles = roleIds.stream().map(id -> {
            Role role = mock(Role.class);
            when(role.getId()).thenReturn(id);
            return role;
        }).toList();
        when(member.getRoles()).thenReturn(roles);
        return member;
    }
}
