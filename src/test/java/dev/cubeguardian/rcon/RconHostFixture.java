package dev.cubeguardian.rcon;

import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InventoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** An inventory of one host "mc" on loopback with a game port and an rcon section, for the unit tests of this package. */
final class RconHostFixture {

    static final String HOST = "mc";
    static final String PASSWORD = "game-Console-9c1e";

    private RconHostFixture() {
    }

    static Inventory inventory(Path dir, int gamePort, int rconPort, String password, String rconKeys) throws IOException {
        Path passwordFile = dir.resolve("rcon_password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        Path hosts = dir.resolve("hosts.yaml");
        Files.writeString(hosts, "hosts:\n  " + HOST + ":\n    mac: \"aabbccddee01\"\n    address: 127.0.0.1\n"
                + "    minecraft:\n      port: " + gamePort + "\n      timeout: 1s\n"
                + "      rcon: {port: " + rconPort + ", password-file: rcon_password" + (rconKeys.isEmpty() ? "" : ", " + rconKeys) + "}\n",
                StandardCharsets.UTF_8);
        return InventoryLoader.load(hosts);
    }
}
