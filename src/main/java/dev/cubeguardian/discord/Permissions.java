package dev.cubeguardian.discord;

import dev.cubeguardian.config.InvalidSettingException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what: per action, the role ids and user ids allowed. {@code *} in the roles means
 * everyone. Unset, {@code status} is open to everyone and the three others to nobody.
 */
public final class Permissions {

    public enum Action {
        START(false), STOP(false), CANCEL(false), STATUS(true);

        private final boolean openByDefault;

        Action(boolean openByDefault) {
            this.openByDefault = openByDefault;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean openByDefault() {
            return openByDefault;
        }
    }

    /** The allowed roles and users of one action. */
    public record Rule(boolean everyone, Set<String> roles, Set<String> users) {

        static Rule parse(String rolesName, String roles, String usersName, String users, boolean openByDefault) {
            if (roles == null && users == null) {
                return new Rule(openByDefault, Set.of(), Set.of());
            }
            Set<String> roleIds = ids(rolesName, roles, true);
            return new Rule(roleIds.contains("*"), roleIds.stream().filter(r -> !r.equals("*")).collect(Collectors.toSet()),
                    ids(usersName, users, false));
        }

        private static Set<String> ids(String name, String list, boolean starAllowed) {
            if (list == null) {
                return Set.of();
            }
            Set<String> ids = Arrays.stream(list.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet());
            for (String id : ids) {
                if (!id.matches("[0-9]{1,20}") && !(starAllowed && id.equals("*"))) {
                    throw new InvalidSettingException(name + ": '" + id + "' is not a Discord id"
                            + (starAllowed ? " (or * for everyone)" : ""));
                }
            }
            return ids;
        }
    }

    private final Map<Action, Rule> rules;

    public Permissions(Map<Action, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    public boolean allows(Action action, String userId, Collection<String> roleIds) {
        Rule rule = rules.get(action);
        if (rule == null) {
            return false;
        }
        return rule.everyone() || rule.users().contains(userId) || roleIds.stream().anyMatch(rule.roles()::contains);
    }

    public Rule rule(Action action) {
        return rules.get(action);
    }
}
