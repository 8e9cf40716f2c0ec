package dev.cubeguardian.ssh;

/** What a remote command left: exit status (null when the host closed without one), and short excerpts of its output. */
public record SshOutput(Integer exitStatus, String stdout, String stderr) {
}
