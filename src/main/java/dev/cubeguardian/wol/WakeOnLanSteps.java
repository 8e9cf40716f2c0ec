package dev.cubeguardian.wol;

import dev.cubeguardian.command.CommandExchange;
import dev.cubeguardian.command.Outcome;
import dev.cubeguardian.command.ResultCode;
import dev.cubeguardian.config.HostConfig;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.WolSettings;
import dev.cubeguardian.observe.WorkerMetrics;
import org.apache.camel.Exchange;

/**
 * The steps of route {@code cmd-wake} around the camel-netty UDP send: build the packet and
 * its target, pace the repeats, report what was sent.
 */
public final class WakeOnLanSteps {

    /** {@code host:port} for {@code toD: netty:udp://${header.CubeGuardianWolTarget}}. */
    public static final String TARGET_HEADER = "CubeGuardianWolTarget";
    public static final String PACKETS_HEADER = "CubeGuardianWolPackets";

    private final Inventory inventory;
    private final WorkerMetrics metrics;

    public WakeOnLanSteps(Inventory inventory, WorkerMetrics metrics) {
        this.inventory = inventory;
        this.metrics = metrics;
    }

    public void prepare(Exchange exchange) {
        HostConfig host = host(exchange);
        WolSettings wol = host.wol();
        exchange.getMessage().setBody(MagicPacketBuilder.build(host.mac(), wol.secureOn()));
        exchange.getMessage().setHeader(TARGET_HEADER, target(wol));
        exchange.getMessage().setHeader(PACKETS_HEADER, wol.packets());
        metrics.magicPacketsSent(host.id(), wol.packets());
    }

    /** Waits the configured interval before every packet but the first (runs on a command lane, never on Paho's thread). */
    public void pace(Exchange exchange) throws InterruptedException {
        int index = exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class);
        if (index > 0) {
            Thread.sleep(host(exchange).wol().interval().toMillis());
        }
    }

    public Outcome sent(Exchange exchange) {
        HostConfig host = host(exchange);
        String target = target(host.wol());
        return Outcome.of(ResultCode.WOL_SENT,
                Outcome.details("mac", host.mac().toString(), "target", target, "packets_sent", host.wol().packets()),
                host.mac().toString());
    }

    static String target(WolSettings wol) {
        String address = wol.broadcast().contains(":") ? "[" + wol.broadcast() + "]" : wol.broadcast();
        return address + ":" + wol.port();
    }

    private HostConfig host(Exchange exchange) {
        String hostId = exchange.getMessage().getHeader(CommandExchange.HOST_HEADER, String.class);
        return inventory.host(hostId).orElseThrow();
    }
}
