package dev.cubeguardian.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One member of an MQTT 5 shared subscription in a JVM of its own, so that it can be killed
 * with SIGKILL: the broker then sees the socket close without DISCONNECT, exactly as when a
 * worker is killed. It prints {@code READY} once subscribed and {@code GOT <payload>} for each
 * message; with {@code never} it acknowledges nothing (manual acks), so what it got stays in
 * flight at the broker.
 *
 * <p>Arguments: url, client id, filter, session expiry (s), clean start (true|false), acks (auto|never).
 */
final class ShareMember {

    private ShareMember() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String clientId = args[1];
        String filter = args[2];
        long expiry = Long.parseLong(args[3]);
        boolean cleanStart = Boolean.parseBoolean(args[4]);
        boolean never = args[5].equals("never");
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setManualAcks(never);
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                System.out.println("GOT " + new String(message.getPayload(), StandardCharsets.UTF_8));
                System.out.flush();
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                System.out.println("DISCONNECTED " + response);
                System.out.flush();
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(expiry);
        options.setKeepAliveInterval(30);
        options.setReceiveMaximum(1000);
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(10_000);
        client.subscribe(filter, 1).waitForCompletion(10_000);
        System.out.println("READY " + connected.getSessionPresent());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The parent's view of one such process. */
    static final class Child implements AutoCloseable {
        private final java.lang.Process process;
        private final List<String> got = new CopyOnWriteArrayList<>();
        private final Set<String> lines = ConcurrentHashMap.newKeySet();
        private volatile Boolean sessionPresent;

        Child(String url, String clientId, String filter, long expiry, boolean cleanStart, boolean ackNever)
                throws IOException, InterruptedException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    ShareMember.class.getName(), url, clientId, filter, String.valueOf(expiry), String.valueOf(cleanStart),
                    ackNever ? "never" : "auto")
                    .redirectErrorStream(true).start();
            Thread reader = new Thread(this::read, "share-member-" + clientId);
            reader.setDaemon(true);
            reader.start();
            if (!Faults.await(() -> sessionPresent != null || !process.isAlive(), Duration.ofSeconds(30))
                    || sessionPresent == null) {
                throw new IllegalStateException("share member " + clientId + " did not subscribe: " + lines);
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("GOT ")) {
                        got.add(line.substring(4));
                    } else if (line.startsWith("READY ")) {
                        sessionPresent = Boolean.parseBoolean(line.substring(6));
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
        }

        /** What the broker delivered to this process, in order. */
        List<String> got() {
            return List.copyOf(got);
        }

        boolean sessionPresent() {
            return sessionPresent;
        }

        /** SIGKILL: the socket closes without DISCONNECT, no Last Will suppressed, nothing acknowledged any more. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
