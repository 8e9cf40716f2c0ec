package dev.cubeguardian.cluster;

import dev.cubeguardian.mqtt.WorkerMqttComponent;
import dev.cubeguardian.state.HostLifecycle;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a member of a share group starts and stops when it becomes the active worker or a standby. */
public final class GroupRole implements Leadership.Role {

    private static final Logger LOG = LoggerFactory.getLogger(GroupRole.class);
    static final String COMMAND_ROUTE = "cmd-intake";

    private final CamelContext context;
    private final WorkerMqttComponent mqtt;
    private final HostLifecycle lifecycle;
    private final ProducerTemplate template;
    private final PeerWork peerWork;
    private final java.util.function.Consumer<Boolean> firstRole;
    private final java.util.concurrent.atomic.AtomicBoolean decided = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param firstRole told once, on the first decision, whether this start is as the active
     *                  member (true) or a standby: what the previous run kept is resumed or left
     */
    public GroupRole(CamelContext context, WorkerMqttComponent mqtt, HostLifecycle lifecycle, ProducerTemplate template,
            PeerWork peerWork, java.util.function.Consumer<Boolean> firstRole) {
        this.peerWork = peerWork;
        this.context = context;
        this.mqtt = mqtt;
        this.lifecycle = lifecycle;
        this.template = template;
        this.firstRole = firstRole;
    }

    @Override
    public void decided(boolean active) {
        if (decided.compareAndSet(false, true)) {
            firstRole.accept(active);
        }
    }

    @Override
    public void becomeActive() {
        try {
            // the shared subscription: from now on the broker gives this worker the group's commands
            context.getRouteController().startRoute(COMMAND_ROUTE);
        } catch (Exception e) {
            LOG.error("Could not start taking the share group's commands", e);
        }
        // what the previous active member was following goes on here, under its ids, before the first probes
        for (PeerWork.Open work : peerWork.takeAll()) {
            lifecycle.adopt(work.host(), work.action(), work.id(), work.at(), work.scheduledFor(), work.wentDown());
        }
        lifecycle.activated();
        // the role in the info, the hosts' states once probed, Home Assistant's configs pointing here
        template.asyncSendBody("direct:bridge-announce", null);
    }

    @Override
    public void becomeStandby() {
        try {
            context.getRouteController().stopRoute(COMMAND_ROUTE, 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not stop taking the share group's commands: {}", e.getMessage());
        }
        mqtt.released(COMMAND_ROUTE);
        template.asyncSendBody("direct:bridge-info", null);
    }
}
