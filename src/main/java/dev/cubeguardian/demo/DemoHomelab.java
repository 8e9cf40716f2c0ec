package dev.cubeguardian.demo;

import dev.cubeguardian.config.GatewaySettings;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.IdleSettings;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.LifecycleTimeouts;
import dev.cubeguardian.config.MinecraftSettings;
import dev.cubeguardian.config.ProbeSettings;
import dev.cubeguardian.config.RconSettings;
import dev.cubeguardian.config.SshSettings;
import dev.cubeguardian.config.WolSettings;
import dev.cubeguardian.wol.MacAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;

/**
 * A simulated homelab on loopback, so CubeGuardian can be tried with nothing to set up: one
 * host {@code demo} that is off until a magic packet for its MAC arrives, then runs an SSH
 * server (real Apache MINA SSHD; its host key is written to the known_hosts the worker checks)
 * and, after a boot delay, a Minecraft status responder. Its shutdown command powers it off.
 */
public final class DemoHomelab extends ServiceSupport {

    public static final String HOST_ID = "demo";
    public static final MacAddress MAC = MacAddress.parse("02:C0:FF:EE:00:01");
    private static final String USER = "cubeguardian";

    /**
     * Demo timings and players, from the cubeguardian.demo.* settings.
     *
     * @param gatewayPort where the demo's Minecraft gateway listens on loopback; 0 any free port,
     *                    -1 no gateway
     */
    public record Options(int bootSeconds, int secondsPerMinute, List<String> players, int gatewayPort) {

        public static final int NO_GATEWAY = -1;

        public Options(int bootSeconds, int secondsPerMinute, List<String> players) {
            this(bootSeconds, secondsPerMinute, players, NO_GATEWAY);
        }

        public static Options from(Function<String, String> property) {
            String players = Optional.ofNullable(property.apply("cubeguardian.demo.players")).orElse("");
            return new Options(
                    seconds(property, "cubeguardian.demo.boot-seconds"),
                    seconds(property, "cubeguardian.demo.seconds-per-minute"),
                    Arrays.stream(players.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                    gatewayPort(property));
        }

        /** "off", or a port on loopback: the demo never listens beyond this machine. */
        private static int gatewayPort(Function<String, String> property) {
            String text = Optional.ofNullable(property.apply("cubeguardian.demo.gateway-port")).orElse("").trim();
            if (text.equals("off")) {
                return NO_GATEWAY;
            }
            if (text.matches("\\d{1,5}") && Integer.parseInt(text) <= 65535) {
                return Integer.parseInt(text);
            }
            throw new dev.cubeguardian.config.InvalidSettingException(
                    dev.cubeguardian.WorkerSettings.environmentName("cubeguardian.demo.gateway-port") + " = '" + text
                            + "' must be a port (0 = any free one) or off");
        }

        private static int seconds(Function<String, String> property, String key) {
            String text = Optional.ofNullable(property.apply(key)).orElse("").trim();
            if (text.matches("\\d{1,4}") && Integer.parseInt(text) <= 3600) {
                return Integer.parseInt(text);
            }
            throw new dev.cubeguardian.config.InvalidSettingException(
                    dev.cubeguardian.WorkerSettings.environmentName(key) + " = '" + text + "' must be whole seconds from 0 to 3600");
        }
    }

    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final Options options;
    private final Path directory;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    // held while the demo host is off, so the ports stay ours and refuse connections (PortHold)
    private final PortHold sshPort;
    private final PortHold minecraftPort;
    private final PortHold rconPort;
    private final String rconPassword = java.util.UUID.randomUUID().toString();
    private volatile RecordingRconServer rcon;
    private final ScheduledExecutorService timer;
    private final DemoHost host;
    private final WakeOnLanListener wol;
    private final Inventory inventory;
    private volatile SshServer sshServer;
    private volatile MinecraftStatusResponder minecraft;

    public DemoHomelab(Options options) throws IOException, GeneralSecurityException {
        this.options = options;
        this.directory = Files.createTempDirectory("cubeguardian-demo-");
        this.hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        this.clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        this.sshPort = PortHold.anyFree(loopback, "SSH");
        this.minecraftPort = PortHold.anyFree(loopback, "Minecraft");
        this.rconPort = PortHold.anyFree(loopback, "RCON");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-homelab");
            t.setDaemon(true);
            return t;
        });
        this.host = new DemoHost(MAC, options, timer, new Services());
        this.wol = new WakeOnLanListener(loopback, MAC, host::magicPacket);
        this.inventory = writeFilesAndDescribe();
    }

    public Inventory inventory() {
        return inventory;
    }

    public boolean poweredOn() {
        return host.power() != DemoHost.Power.OFF;
    }

    public List<String> commandsReceived() {
        return host.commandsReceived();
    }

    public int magicPacketsReceived() {
        return wol.magicPackets();
    }

    /** Prints how to try the demo once the worker is running. */
    public EventNotifier banner(dev.cubeguardian.WorkerSettings settings, String brokerUrl) {
        return new DemoBanner(settings.baseTopic(), brokerUrl);
    }

    @Override
    protected void doStart() {
        wol.start();
    }

    @Override
    protected void doStop() throws IOException {
        wol.close();
        new Services().stopAll();
        timer.shutdownNow();
        sshPort.close();
        minecraftPort.close();
        rconPort.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Wake on connect for the demo host: join 127.0.0.1:25566 with a Minecraft client to wake it. */
    private Optional<GatewaySettings> gateway(String address) {
        if (options.gatewayPort() == Options.NO_GATEWAY) {
            return Optional.empty();
        }
        return Optional.of(new GatewaySettings(address, options.gatewayPort(), GatewaySettings.WakeOn.LOGIN, List.of(),
                Duration.ofSeconds(10), null, null, false));
    }

    private Inventory writeFilesAndDescribe() throws IOException, GeneralSecurityException {
        Path keyFile = directory.resolve("id_ed25519");
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "cubeguardian-demo", null, out);
        }
        Path rconPasswordFile = directory.resolve("rcon_password");
        Files.writeString(rconPasswordFile, rconPassword + "\n", StandardCharsets.US_ASCII);
        Path knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, "[" + loopback.getHostAddress() + "]:" + sshPort.port() + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n", StandardCharsets.US_ASCII);
        String address = loopback.getHostAddress();
        HostConfig demo = new HostConfig(
                HOST_ID,
                "Demo server",
                MAC,
                address,
                new WolSettings(address, wol.port(), WolSettings.DEFAULT_PACKETS, WolSettings.DEFAULT_INTERVAL, null),
                new ProbeSettings(ProbeSettings.ProbeMethod.TCP, sshPort.port(), Duration.ofSeconds(1)),
                Optional.of(new SshSettings(sshPort.port(), USER, keyFile, null, knownHosts,
                        "shutdown -h +" + SshSettings.DELAY_PLACEHOLDER, "shutdown -h now", "shutdown -c", "reboot",
                        Duration.ofSeconds(5))),
                Optional.of(new MinecraftSettings(address, minecraftPort.port(), Duration.ofSeconds(2), gateway(address),
                        Optional.of(new RconSettings(rconPort.port(), rconPasswordFile, Duration.ofSeconds(2),
                                RconSettings.DEFAULT_WARNINGS, true, Duration.ofSeconds(30))))),
                new LifecycleTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(1)),
                IdleSettings.disabled());
        return new Inventory(null, Map.of(HOST_ID, demo));
    }

    /** What powering on and off starts and stops. */
    private final class Services implements DemoHost.Services {

        @Override
        public void startSsh() throws IOException {
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost(loopback.getHostAddress());
            server.setPort(sshPort.port());
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            // only the worker's demo key may log in, and only as the demo user
            server.setPublickeyAuthenticator((user, key, session) ->
                    USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setCommandFactory((channel, command) -> new DemoSshCommand(command, host));
            sshPort.release();
            server.start();
            sshServer = server;
        }

        @Override
        public void startGame() throws IOException {
            minecraftPort.release();
            rconPort.release();
            minecraft = new MinecraftStatusResponder(loopback, minecraftPort.port(), () -> new MinecraftStatusResponder.Status(
                    "1.21.4", 769, options.players().size(), 20, options.players(), "CubeGuardian demo")).start();
            rcon = new RecordingRconServer(loopback, rconPort.port(), rconPassword, this::console, false);
        }

        /** The demo game's console: what a vanilla server answers to the commands CubeGuardian sends. */
        private String console(String command) {
            if (command.equals("list")) {
                return "There are " + options.players().size() + " of a max of 20 players online: "
                        + String.join(", ", options.players());
            }
            if (command.startsWith("save-all")) {
                return "Saving the game (this may take a moment!)Saved the game";
            }
            if (command.equals("stop")) {
                // like vanilla: the game port closes a moment after "Stopping the server"
                timer.schedule(this::stopGame, 1, java.util.concurrent.TimeUnit.SECONDS);
                return "Stopping the server";
            }
            if (command.startsWith("say ")) {
                org.slf4j.LoggerFactory.getLogger(DemoHomelab.class).info("Demo game chat: [Server] {}", command.substring(4));
                return "";
            }
            return "Unknown or incomplete command, see below for error";
        }

        private void stopGame() {
            MinecraftStatusResponder game = minecraft;
            minecraft = null;
            if (game != null) {
                game.close();
            }
            RecordingRconServer console = rcon;
            rcon = null;
            if (console != null) {
                console.close();
            }
            minecraftPort.takeBack();
            rconPort.takeBack();
        }

        @Override
        public void stopAll() {
            stopGame();
            SshServer server = sshServer;
            sshServer = null;
            if (server != null) {
                try {
                    server.stop(true);
                } catch (IOException ignored) {
                    // the port is released either way
                }
            }
            sshPort.takeBack();
        }
    }
}
