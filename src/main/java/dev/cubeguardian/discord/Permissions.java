package dev.cubeguardian.discord;

import dev.cubeguardian.config.InvalidSettingException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may do what, on which host. Per action: the role ids and user ids allowed on every host
 * ({@code stop.roles}, {@code stop.users}), plus those allowed on one host only
 * ({@code stop.host-roles}, {@code stop.host-users}: {@code pve:111,222; nas:333}). A member
 * passes on a host when either grants it. {@code *} in the roles means everyone. With none of
 * its four keys set, {@code status} is open to everyone and the others to nobody.
 */
public final class Permissions {

    public enum Action {
        START(false), STOP(false), CANCEL(false), STATUS(true), IDLE(false), RESTART(false);

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

        /** The settings keys of this action, all-hosts first. */
        List<String> settingKeys() {
            return List.of(key() + ".roles", key() + ".users", key() + ".host-roles", key() + ".host-users");
        }
    }

    private static final Pattern HOST_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** The allowed roles and users of one action (on every host, or on one). */
    public record Rule(boolean everyone, Set<String> roles, Set<String> users) {

        static final Rule NOBODY = new Rule(false, Set.of(), Set.of());

        static Rule parse(String rolesName, String roles, String usersName, String users, boolean openByDefault) {
            if (roles == null && users == null) {
                return new Rule(openByDefault, Set.of(), Set.of());
            }
            Set<String> roleIds = ids(rolesName, roles, true);
            return new Rule(roleIds.contains("*"), roleIds.stream().filter(r -> !r.equals("*")).collect(Collectors.toSet()),
                    ids(usersName, users, false));
        }

        boolean admits(String userId, Collection<String> roleIds) {
            return everyone || users.contains(userId) || roleIds.stream().anyMatch(roles::contains);
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
    private final Map<Action, Map<String, Rule>> hostRules;

    /** Rules for every host only (no per-host grants). */
    public Permissions(Map<Action, Rule> rules) {
        this(rules, Map.of());
    }

    public Permissions(Map<Action, Rule> rules, Map<Action, Map<String, Rule>> hostRules) {
        this.rules = Map.copyOf(rules);
        Map<Action, Map<String, Rule>> copy = new EnumMap<>(Action.class);
        hostRules.forEach((action, byHost) -> copy.put(action, Map.copyOf(byHost)));
        this.hostRules = Map.copyOf(copy);
    }

    /**
     * Reads every action's four keys from the settings.
     *
     * @param envName the variable of a key, for the error messages
     */
    static Permissions parse(Map<String, String> values, Function<String, String> envName) {
        Map<Action, Rule> rules = new EnumMap<>(Action.class);
        Map<Action, Map<String, Rule>> hostRules = new EnumMap<>(Action.class);
        for (Action action : Action.values()) {
            List<String> keys = action.settingKeys();
            boolean anySet = keys.stream().anyMatch(values::containsKey);
            // a list for one host replaces the open default of status too: it would grant nothing otherwise
            boolean open = action.openByDefault() && !anySet;
            rules.put(action, values.get(keys.get(0)) == null && values.get(keys.get(1)) == null
                    ? new Rule(open, Set.of(), Set.of())
                    : Rule.parse(envName.apply(keys.get(0)), values.get(keys.get(0)), envName.apply(keys.get(1)),
                            values.get(keys.get(1)), false));
            Map<String, String> roles = byHost(envName.apply(keys.get(2)), values.get(keys.get(2)));
            Map<String, String> users = byHost(envName.apply(keys.get(3)), values.get(keys.get(3)));
            Map<String, Rule> perHost = new HashMap<>();
            for (String host : union(roles.keySet(), users.keySet())) {
                perHost.put(host, Rule.parse(envName.apply(keys.get(2)) + " (" + host + ")", roles.get(host),
                        envName.apply(keys.get(3)) + " (" + host + ")", users.get(host), false));
            }
            hostRules.put(action, perHost);
        }
        return new Permissions(rules, hostRules);
    }

    /** {@code pve:111,222; nas:333} to host -> {@code 111,222}. */
    static Map<String, String> byHost(String name, String value) {
        Map<String, String> byHost = new HashMap<>();
        if (value == null || value.isBlank()) {
            return byHost;
        }
        for (String entry : value.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new InvalidSettingException(name + ": '" + entry.trim() + "' is not host:ids (for example pve:112233445566778899)");
            }
            String host = entry.substring(0, colon).trim();
            if (!HOST_ID.matcher(host).matches()) {
                throw new InvalidSettingException(name + ": '" + host + "' is not a host id (a-z, 0-9, _ and -, at most 63 characters)");
            }
            if (byHost.put(host, entry.substring(colon + 1)) != null) {
                throw new InvalidSettingException(name + ": host '" + host + "' is listed twice");
            }
        }
        return byHost;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Whether the member may do this on every host (the all-hosts lists alone). */
    public boolean allows(Action action, String userId, Collection<String> roleIds) {
        Rule rule = rules.get(action);
        return rule != null && rule.admits(userId, roleIds);
    }

    /** Whether the member may do this on this host: the all-hosts lists, or the host's own. */
    public boolean allows(Action action, String host, String userId, Collection<String> roleIds) {
        if (allows(action, userId, roleIds)) {
            return true;
        }
        Rule rule = hostRules.getOrDefault(action, Map.of()).get(host);
        return rule != null && rule.admits(userId, roleIds);
    }

    /** Whether the member may do this on at least one host (some host's list admits it). */
    public boolean allowsSomewhere(Action action, String userId, Collection<String> roleIds) {
        return allows(action, userId, roleIds)
                || hostRules.getOrDefault(action, Map.of()).values().stream().anyMatch(r -> r.admits(userId, roleIds));
    }

    public Rule rule(Action action) {
        return rules.get(action);
    }

    /** The hosts that have lists of their own, for the start-up log. */
    public Set<String> hostsWithRules() {
        return hostRules.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
