package dev.cubeguardian.observe;

import dev.cubeguardian.config.InvalidSettingException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Function;

/**
 * The management server (health and metrics) must get its port, or the worker must not start.
 * Vert.x only logs a port it cannot bind and Camel carries on without the HTTP server; the
 * image's HEALTHCHECK would then ask whatever owns the port whether the worker is healthy.
 * So the port is tried first, and a taken one stops the worker with the setting to change.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    /** {@code property} resolves Camel property names (camel.management.*) to their values. */
    public static void requireFree(Function<String, String> property) {
        if (!Boolean.parseBoolean(orDefault(property.apply("camel.management.enabled"), "false"))) {
            return;
        }
        String host = orDefault(property.apply("camel.management.host"), "0.0.0.0");
        String portText = orDefault(property.apply("camel.management.port"), "8080");
        int port;
        try {
            port = Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("CUBEGUARDIAN_MANAGEMENT_PORT must be a port number, not '" + portText + "'");
        }
        if (port == 0) {
            return;   // any free port: nothing to be taken
        }
        if (port < 0 || port > 65535) {
            throw new InvalidSettingException("CUBEGUARDIAN_MANAGEMENT_PORT must be 1 to 65535, not " + port);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException taken) {
            throw new InvalidSettingException("The health and metrics server cannot listen on " + host + ":" + port
                    + " (" + taken.getMessage() + "): another program, or another CubeGuardian, uses that port."
                    + " Set CUBEGUARDIAN_MANAGEMENT_PORT to a free port (the image's health check follows it),"
                    + " or CUBEGUARDIAN_MANAGEMENT_ENABLED=false to run without health and metrics.");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
