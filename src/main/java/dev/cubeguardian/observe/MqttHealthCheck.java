package dev.cubeguardian.observe;

import dev.cubeguardian.mqtt.WorkerMqttComponent;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the worker can take commands only while its command connection is up with the
 * subscription in place and its publishing connection is up. Home Assistant's consumers are
 * reported but do not count: a worker without them still takes every command (the same rule
 * as {@code online}). Liveness is not affected: a worker waiting for its broker is alive and
 * will recover by itself.
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
        builder.detail("homeassistant.subscribed", mqtt.auxiliarySubscribed());
        if (subscribed && publishing) {
            builder.up();
        } else {
            builder.message(!publishing ? "the MQTT broker is not reachable" : "the command subscription is missing");
            builder.down();
        }
    }
}
