package dev.cubeguardian.config;

import dev.cubeguardian.wol.MacAddress;
import java.util.Optional;

/** One host of the inventory, validated. */
public record HostConfig(
        String id,
        String name,
        MacAddress mac,
        String address,
        WolSettings wol,
        ProbeSettings probe,
        Optional<SshSettings> ssh,
        Optional<MinecraftSettings> minecraft,
        LifecycleTimeouts timeouts,
        IdleSettings idle,
        java.util.List<ScheduleEntry> schedule) {

    public HostConfig {
        schedule = schedule == null ? java.util.List.of() : java.util.List.copyOf(schedule);
    }

    public HostConfig(String id, String name, MacAddress mac, String address, WolSettings wol, ProbeSettings probe,
            Optional<SshSettings> ssh, Optional<MinecraftSettings> minecraft, LifecycleTimeouts timeouts, IdleSettings idle) {
        this(id, name, mac, address, wol, probe, ssh, minecraft, timeouts, idle, java.util.List.of());
    }

    /** The name people read: the display name, or the id when none is set. */
    public String displayName() {
        return name == null || name.isBlank() ? id : name;
    }
}
