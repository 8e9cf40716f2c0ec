package dev.cubeguardian.demo;

import java.net.URI;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Prints, once the worker runs, the few commands that show what the demo does. */
final class DemoBanner extends EventNotifierSupport {

    private final String baseTopic;
    private final String brokerUrl;

    DemoBanner(String baseTopic, String brokerUrl) {
        this.baseTopic = baseTopic;
        this.brokerUrl = brokerUrl;
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.CamelContextStartedEvent)) {
            return;
        }
        URI broker = URI.create(brokerUrl);
        String pub = "mosquitto_pub -h " + broker.getHost() + " -p " + broker.getPort() + " -q 1 -t " + baseTopic
                + "/" + DemoHomelab.HOST_ID + "/cmd/";
        System.out.println(String.join(System.lineSeparator(),
                "",
                "CubeGuardian demo: MQTT broker on " + brokerUrl + ", simulated host '" + DemoHomelab.HOST_ID
                        + "' (off, MAC " + DemoHomelab.MAC + ") on loopback.",
                "Watch everything:   mosquitto_sub -h " + broker.getHost() + " -p " + broker.getPort() + " -t '"
                        + baseTopic + "/#' -v",
                "Wake it:            " + pub + "wake -m '{\"id\":\"try-1\"}'",
                "Check it:           " + pub + "check -m ''",
                "Shut down in 5 min: " + pub + "shutdown -m '{\"delay_minutes\":5}'",
                "Cancel that:        " + pub + "cancel -m ''",
                "Stop the demo with Ctrl+C.",
                ""));
    }
}
