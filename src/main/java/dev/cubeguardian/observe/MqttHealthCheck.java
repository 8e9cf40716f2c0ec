package dev.cubeguardian.observe;

import dev.cubeguardian.mqtt.WorkerMqttComponent;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the worker can take commands only while its command connection is up with the
 * subscription in place and its publishing connection is up. Liveness is not affected: a
 * worker waiting for its broker is alive and will recover by itself.
 */
public final class MqttHealthCheck extends AbstractHealthCheck {

    private final WorkerMqttComponent mqtt;

    public MqttHealthCheck(WorkerMqttComponent mqtt) {
        super("cubeguardian", "mqtt");
        this.mqtt = mqtt;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean subscribed = mqtt.commandsSubscribed();
        boolean publishing = mqtt.publisherConnected();
        builder.detail("commands.subscribed", subscribed);
        builder.detail("publisher.connected", publishing);
        if (subscribed && publishing) {
            builder.up();
        } else {
            builder.message(!publishing ? "the MQTT broker is not reachable" : "the command subscription is missing");
            builder.down();
        }
    }
}
