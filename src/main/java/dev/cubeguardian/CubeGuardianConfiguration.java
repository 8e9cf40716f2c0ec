package dev.cubeguardian;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cubeguardian.bridge.BridgeAnnouncer;
import dev.cubeguardian.bridge.GracefulOffline;
import dev.cubeguardian.broker.EmbeddedBroker;
import dev.cubeguardian.cluster.CommandWitness;
import dev.cubeguardian.cluster.GroupRole;
import dev.cubeguardian.cluster.Leadership;
import dev.cubeguardian.cluster.SubscriptionPlan;
import dev.cubeguardian.cluster.UnknownHostWatch;
import dev.cubeguardian.cluster.WorkerIdentity;
import dev.cubeguardian.cluster.WorkerRegistry;
import dev.cubeguardian.command.AnswerInOneCommit;
import dev.cubeguardian.command.CommandGate;
import dev.cubeguardian.command.CommandIds;
import dev.cubeguardian.command.CommandIntake;
import dev.cubeguardian.command.CommandLedger;
import dev.cubeguardian.command.CommandParser;
import dev.cubeguardian.command.HostLanes;
import dev.cubeguardian.command.Messages;
import dev.cubeguardian.command.ResultFactory;
import dev.cubeguardian.command.ResponseTopicPolicy;
import dev.cubeguardian.command.ResultPublisher;
import dev.cubeguardian.config.Inventory;
import dev.cubeguardian.config.InventoryLoader;
import dev.cubeguardian.demo.DemoHomelab;
import dev.cubeguardian.gateway.GatewayServer;
import dev.cubeguardian.gateway.LifecycleLink;
import dev.cubeguardian.homeassistant.DiscoveryConfig;
import dev.cubeguardian.http.HttpApi;
import dev.cubeguardian.http.HttpApiSettings;
import dev.cubeguardian.rcon.GameShutdown;
import dev.cubeguardian.schedule.Scheduler;
import dev.cubeguardian.store.WorkerStore;
import dev.cubeguardian.rcon.RconConsole;
import dev.cubeguardian.homeassistant.HomeAssistantDiscovery;
import dev.cubeguardian.homeassistant.HomeAssistantSettings;
import dev.cubeguardian.mqtt.BrokerRetryLog;
import dev.cubeguardian.mqtt.ConnectionWatchdog;
import dev.cubeguardian.mqtt.WorkerMqttComponent;
import dev.cubeguardian.mqtt.MqttClientSettings;
import dev.cubeguardian.observe.ManagementAddressLog;
import dev.cubeguardian.observe.ManagementPort;
import dev.cubeguardian.observe.MqttHealthCheck;
import dev.cubeguardian.observe.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheckRegistry;
import dev.cubeguardian.probe.HostCheck;
import dev.cubeguardian.probe.HostProber;
import dev.cubeguardian.probe.MinecraftPinger;
import dev.cubeguardian.shutdown.PlayersOnlineGuard;
import dev.cubeguardian.shutdown.ShutdownCommandBuilder;
import dev.cubeguardian.shutdown.ShutdownResults;
import dev.cubeguardian.ssh.SshRunner;
import dev.cubeguardian.state.HostLifecycle;
import dev.cubeguardian.state.HostMonitor;
import dev.cubeguardian.state.HostObserver;
import dev.cubeguardian.ssh.SshTargets;
import dev.cubeguardian.wol.WakeOnLanSteps;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;

/**
 * Builds the worker's parts from its settings and binds them, once, for the routes. Order
 * matters: the broker and the demo homelab must be up before the MQTT routes connect.
 */
public class CubeGuardianConfiguration implements CamelConfiguration {

    /** How many commands for one host may wait before new ones are answered BUSY. */
    static final int MAX_QUEUED_PER_HOST = 32;
    static final int LEDGER_CAPACITY = 100_000;
    /** The consumer routes of routes/homeassistant.yaml: they take no commands. */
    static final java.util.Set<String> HOME_ASSISTANT_ROUTES = java.util.Set.of("ha-status", "ha-cleanup");

    @Override
    public void configure(CamelContext context) throws Exception {
        WorkerSettings settings = WorkerSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        Clock clock = Clock.systemUTC();
        Registry registry = context.getRegistry();
        ObjectMapper json = JsonMapper.builder().build();
        registry.bind("workerSettings", settings);

        // the inventory first: a mistake in it should stop the worker before anything listens
        DemoHomelab homelab = null;
        Inventory inventory;
        if (settings.demo()) {
            homelab = new DemoHomelab(DemoHomelab.Options.from(
                    key -> context.getPropertiesComponent().resolveProperty(key).orElse(null)));
            inventory = homelab.inventory();
        } else {
            inventory = InventoryLoader.load(settings.hostsFile());
        }
        SshTargets sshTargets = SshTargets.create(context, inventory);
        // the health endpoint's port too: without it the worker would run unobserved
        ManagementPort.requireFree(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        // the HTTP API's settings and token file: a mistake stops the worker before anything listens
        HttpApiSettings httpApi = HttpApiSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));

        String brokerUrl = settings.mqttUrl();
        if (settings.embeddedBroker()) {
            EmbeddedBroker broker = new EmbeddedBroker(settings.brokerBind(), settings.brokerPort());
            context.addService(broker, true, true);
            brokerUrl = broker.url();
        }
        WorkerMqttComponent mqtt = new WorkerMqttComponent();
        context.addComponent("paho-mqtt5", mqtt);
        // several workers under one base topic (v1.1): each subscribes only its own hosts, under
        // its own client ids and bridge/workers/<id>/ topics; the routes read these placeholders
        WorkerIdentity identity = settings.identity();
        String clientId = identity.clientId(settings.clientId());
        org.apache.camel.spi.PropertiesComponent properties = context.getPropertiesComponent();
        // a property of its own: CUBEGUARDIAN_MQTT_CLIENT_ID itself would win over an override of its key
        properties.addOverrideProperty("cubeguardian.mqtt.effective-client-id", clientId);
        SubscriptionPlan.properties(identity, settings.baseTopic(), inventory.hosts().keySet(),
                Long.parseLong(properties.resolveProperty("cubeguardian.mqtt.session-expiry-seconds").orElse("86400")))
                .forEach(properties::addOverrideProperty);
        mqtt.topicLists(!identity.single());
        // a large inventory's start publishes a few messages per host before the broker has acknowledged any
        mqtt.outbox(dev.cubeguardian.mqtt.OutboxBounds.forHosts(inventory.hosts().size()));
        // Home Assistant's consumers start after the command intake and take no commands: neither "online" nor
        // readiness waits for them (while they connected, the announcement failed and came 2 s later: benchmark 5b)
        mqtt.auxiliary(HOME_ASSISTANT_ROUTES);
        MqttClientSettings.apply(mqtt.getConfiguration(),
                brokerUrl, settings.mqttUsername(), settings.mqttPasswordFile(), settings.mqttCaFile());
        if (homelab != null) {
            context.addService(homelab, true, true);
            context.getManagementStrategy().addEventNotifier(homelab.banner(settings, brokerUrl));
        }

        ProducerTemplate template = context.createProducerTemplate();
        WorkerMetrics metrics = new WorkerMetrics(() -> context.getRegistry().findSingleByType(MeterRegistry.class),
                inventory.hosts().size());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new MqttHealthCheck(mqtt));
        }
        ResultFactory results = new ResultFactory(new Messages(settings.locale()), clock);
        HostLanes lanes = new HostLanes(
                context.getExecutorServiceManager().newFixedThreadPool(this, "command-lanes", settings.workerThreads()),
                MAX_QUEUED_PER_HOST);
        HostProber hostProber = new HostProber();
        MinecraftPinger pinger = new MinecraftPinger();
        RconConsole rcon = new RconConsole(inventory);

        CommandIds ids = new CommandIds();
        // answered ids survive a restart, kill -9 included (v1.1): on disk before the broker's acknowledgement
        if (settings.dataDir() == null && !settings.demo()) {
            org.slf4j.LoggerFactory.getLogger(CubeGuardianConfiguration.class).warn("CUBEGUARDIAN_DATA_DIR=none: nothing is kept"
                    + " on disk; a client's retry of a command answered before a restart runs it again, and a wake or shutdown"
                    + " being followed is forgotten at a restart");
        }
        WorkerStore store = settings.dataDir() == null ? WorkerStore.memoryOnly() : WorkerStore.open(settings.dataDir());
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        }, true, true);
        CommandLedger ledger = new CommandLedger(clock, LEDGER_CAPACITY, CommandLedger.DEFAULT_MAX_BYTES, store.ledger());
        metrics.watch("cubeguardian.ledger.store.failures", "Writes of the command memory to disk that failed",
                ledger::storeFailures);
        metrics.watch("cubeguardian.mqtt.dropped", "Messages the worker could not publish: outbox full, unsendable, or refused by the broker",
                mqtt::droppedMessages);
        metrics.watch("cubeguardian.ledger.entries", "Answered command ids remembered for duplicate detection", ledger::size);
        metrics.watch("cubeguardian.ledger.bytes", "Bytes held by the remembered results", ledger::bytes);
        metrics.watch("cubeguardian.ledger.forgotten.early", "Answered ids forgotten before 10 minutes because the memory was full",
                ledger::forgottenEarly);
        HostCheck hostCheck = new HostCheck(inventory, hostProber, pinger, rcon, clock);
        CommandIntake intake = new CommandIntake(
                new CommandParser(settings.baseTopic(), inventory, ids, clock), ids, lanes, ledger, template, hostCheck::probeOnce);
        registry.bind("commandIntake", intake);
        WorkerRegistry workers = new WorkerRegistry(settings.baseTopic(), identity.workerId(), json);
        registry.bind("workerRegistry", workers);
        CommandWitness witness = new CommandWitness(settings.baseTopic(), ledger, json, clock);
        registry.bind("commandWitness", witness);
        Leadership leadership = Leadership.always(clock);
        if (identity.grouped()) {
            // the copy the shared subscription brings and the one the witness took over are one command
            intake.claimsFrom(witness);
            Leadership group = new Leadership(identity, workers, witness, intake, clock);
            leadership = group;
            metrics.watch("cubeguardian.group.active", "1 when this worker is the active member of its share group",
                    () -> group.active() ? 1 : 0);
            metrics.watch("cubeguardian.group.results.learned", "Results of the share group's other members learned",
                    witness::learnedResults);
            metrics.watch("cubeguardian.group.commands.taken.over", "Commands no member answered, taken over on becoming active",
                    witness::takenOverCommands);
        }
        registry.bind("unknownHosts", new UnknownHostWatch(settings.baseTopic(), identity.id().orElse(""), inventory, workers, intake,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "unknown-hosts")));
        registry.bind("commandGate", new CommandGate(inventory, ledger, results, clock, metrics));
        registry.bind("answerInOneCommit", new AnswerInOneCommit(ledger, template));
        HomeAssistantSettings homeAssistant = HomeAssistantSettings.from(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        registry.bind("resultPublisher", new ResultPublisher(settings.baseTopic(), json,
                new ResponseTopicPolicy(settings.baseTopic(), homeAssistant.prefix()), results));
        registry.bind("wakeOnLan", new WakeOnLanSteps(inventory, metrics));
        registry.bind("playersOnlineGuard", new PlayersOnlineGuard(inventory, pinger));
        registry.bind("shutdownCommandBuilder", new ShutdownCommandBuilder(inventory));
        SshRunner sshRunner = new SshRunner(sshTargets, template, metrics);
        registry.bind("sshRunner", sshRunner);
        registry.bind("shutdownResults", new ShutdownResults(inventory, clock));
        registry.bind("hostCheck", hostCheck);
        BridgeAnnouncer bridge = new BridgeAnnouncer(settings.baseTopic(), inventory, json, version(), mqtt::commandsSubscribed);
        bridge.identify(identity, leadership);
        registry.bind("bridgeAnnouncer", bridge);
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(homeAssistant,
                new DiscoveryConfig(homeAssistant.prefix(), settings.baseTopic(), version(), homeAssistant.supportUrl(),
                        identity.stateTopic(settings.baseTopic())),
                inventory, template, json);
        // a worker clears only the configs it (or its share group) published, never another worker's hosts
        discovery.scope(leadership::active, availability -> identity.single() || availability.equals(identity.stateTopic(settings.baseTopic()))
                || identity.grouped() && workers.all().stream().anyMatch(worker -> identity.shareGroup().equals(worker.shareGroup())
                        && availability.equals(WorkerIdentity.workersTopic(settings.baseTopic()) + "/" + worker.id() + "/state")));
        registry.bind("homeAssistantDiscovery", discovery);

        HostLifecycle lifecycle = new HostLifecycle(inventory, settings.lifecycle(), settings.baseTopic(), template, json, clock, metrics);
        lifecycle.activeWhen(leadership::active);
        registry.bind("hostLifecycle", lifecycle);
        discovery.firstAfter(lifecycle::firstSweep, () -> mqtt.routeSubscribed("ha-cleanup"));
        // what the active member follows, as a standby sees it: taken over with the role
        dev.cubeguardian.cluster.PeerWork peerWork = new dev.cubeguardian.cluster.PeerWork(inventory.hosts().keySet(), leadership::active);
        witness.alsoTell(peerWork::resultLearned);
        registry.bind("hostStateWitness", new dev.cubeguardian.cluster.HostStateWitness(settings.baseTopic(), lifecycle, json, peerWork));
        // graceful game stop and in-game warnings (minecraft.rcon); the final stop of a countdown may take stop-timeout
        GameShutdown gameShutdown = new GameShutdown(inventory, rcon, sshRunner, settings.locale(), lifecycle::announce,
                context.getExecutorServiceManager().newScheduledThreadPool(this, "game-countdown", 4), clock,
                host -> lifecycle.tracker(host).state() == dev.cubeguardian.state.HostState.OFF);
        registry.bind("gameShutdown", gameShutdown);
        // what the previous run was following goes on (v1.1): wakes, shutdowns, idle and game countdowns
        lifecycle.resumeFrom(store.followed());
        gameShutdown.keepIn(store.followed());
        if (!identity.grouped()) {
            gameShutdown.resume();
        }
        context.getManagementStrategy().addEventNotifier(new HostMonitor(context, inventory, lifecycle,
                new HostObserver(hostProber, pinger, rcon, clock, metrics), settings.lifecycle()));
        // schedules (v1.1): commands at cron times, published like any client's; bridge/info and states say what comes next
        Leadership role = leadership;
        // a standby's schedules stay quiet (their ids would make an overlap harmless anyway)
        Scheduler scheduler = new Scheduler(inventory, clock, (host, action, payload) -> {
                    if (role.active()) {
                        lifecycle.requestCommand(host, action, payload);
                    }
                },
                () -> {
                    template.asyncSendBody("direct:bridge-info", null);
                    lifecycle.publishAllStates();
                },
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "schedule"));
        bridge.scheduleFrom(scheduler::next);
        lifecycle.scheduleFrom(scheduler::nextOf);
        context.addService(scheduler, true, true);
        // wake on connect: players reach the gateway before the routes are up, and are answered
        GatewayServer gateway = new GatewayServer(inventory, new LifecycleLink(lifecycle), settings.locale(), metrics, clock);
        registry.bind("gatewayServer", gateway);
        context.addService(gateway, true, true);
        if (identity.grouped()) {
            // a kept countdown goes on only where the group's commands come: a member back as a
            // standby leaves the host to the active one (a cancel reaches that one, not this)
            GroupRole changes = new GroupRole(context, mqtt, lifecycle, template, peerWork,
                    active -> {
                        if (active) {
                            gameShutdown.resume();
                        } else {
                            gameShutdown.forgetKept();
                        }
                    });
            java.util.concurrent.ScheduledExecutorService leadershipThread =
                    context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "share-group");
            // decided once the routes run: starting the command route needs a started context
            context.getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
                @Override
                public void notify(org.apache.camel.spi.CamelEvent event) {
                    if (event instanceof org.apache.camel.spi.CamelEvent.CamelContextStartedEvent) {
                        role.begin(changes, leadershipThread);
                    }
                }
            });
        }
        // after an outage the broker may have lost or expired what we retained: say it all again
        mqtt.onPublisherReconnect(() -> template.asyncSendBody("direct:bridge-announce", null));
        // Paho does not come back from every lost connection by itself (a taken-over session)
        context.addService(new ConnectionWatchdog(context, mqtt, settings.watchdogGrace(), Duration.ofSeconds(60)), true, true);
        context.getManagementStrategy().addEventNotifier(new GracefulOffline(template));
        // in place of Camel's lines, which say "Untranslated MqttException" and "0.0.0.0" (log4j2.properties)
        context.getManagementStrategy().addEventNotifier(new BrokerRetryLog(brokerUrl));
        context.getManagementStrategy().addEventNotifier(new ManagementAddressLog());
        // the HTTP door (off by default): commands through the broker like any client, states from memory
        if (httpApi.enabled()) {
            HttpApi api = HttpApi.create(httpApi,
                    new HttpApi.Broker(brokerUrl, clientId, settings.mqttUsername(),
                            settings.mqttPasswordFile() == null ? null : MqttClientSettings.readSecret(settings.mqttPasswordFile()),
                            settings.mqttCaFile()),
                    settings.baseTopic(), HttpApi.states(lifecycle, scheduler::nextOf, inventory), json, metrics);
            context.getManagementStrategy().addEventNotifier(api);
        }
    }

    static String version() {
        String version = CubeGuardian.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
