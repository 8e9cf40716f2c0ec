package dev.cubeguardian.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** One exec request on the demo host's SSH server: answered by {@link DemoHost#exec}, like a tiny shell. */
final class DemoSshCommand implements Command {

    private final String commandLine;
    private final DemoHost host;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    DemoSshCommand(String commandLine, DemoHost host) {
        this.commandLine = commandLine;
        this.host = host;
    }

    @Override
    public void setInputStream(java.io.InputStream in) {
        // the demo commands read nothing
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        DemoHost.ExecResult result = host.exec(commandLine);
        out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
        out.flush();
        err.write(result.stderr().getBytes(StandardCharsets.UTF_8));
        err.flush();
        exit.onExit(result.exitStatus());
    }

    @Override
    public void destroy(ChannelSession channel) {
        // nothing runs in the background
    }
}
