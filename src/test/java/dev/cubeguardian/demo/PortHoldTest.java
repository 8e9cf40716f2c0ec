package dev.cubeguardian.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortHoldTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aHeldPortRefusesConnectionsLikeAHostThatIsOff() throws IOException {
        try (PortHold hold = PortHold.anyFree(LOOPBACK, "test")) {
            assertThrows(ConnectException.class, () -> connect(hold.port()));
        }
    }

    @Test
    void aNeighbourAskingForAFreePortIsNeverGivenAHeldOne() throws IOException {
        List<PortHold> holds = new ArrayList<>();
        Set<Integer> held = new HashSet<>();
        try {
            for (int i = 0; i < 300; i++) {
                PortHold hold = PortHold.anyFree(LOOPBACK, "test");
                holds.add(hold);
                held.add(hold.port());
            }
            // 300 of the ~28,000 ephemeral ports: unheld, 3,000 draws would land on them about 30 times
            int landed = 0;
            for (int i = 0; i < 3_000; i++) {
                try (ServerSocket neighbour = new ServerSocket(0, 1, LOOPBACK)) {
                    landed += held.contains(neighbour.getLocalPort()) ? 1 : 0;
                }
            }
            assertEquals(0, landed);
        } finally {
            holds.forEach(PortHold::close);
        }
    }

    @Test
    void theServiceBindsAfterTheReleaseAndThePortIsHeldAgainDespiteItsLingeringConnections() throws Exception {
        try (PortHold hold = PortHold.anyFree(LOOPBACK, "test")) {
            hold.release();
            try (ServerSocket service = new ServerSocket()) {
                service.setReuseAddress(true);
                service.bind(new InetSocketAddress(LOOPBACK, hold.port()));
                try (Socket client = connect(hold.port()); Socket accepted = service.accept()) {
                    accepted.close();   // the service closes first: its side lingers in TIME_WAIT
                    InputStream in = client.getInputStream();
                    assertEquals(-1, in.read());
                }
            }
            hold.takeBack();
            assertThrows(ConnectException.class, () -> connect(hold.port()));
            // held: a bind of that very port without SO_REUSEADDR fails
            try (Socket intruder = new Socket()) {
                assertThrows(BindException.class, () -> intruder.bind(new InetSocketAddress(LOOPBACK, hold.port())));
            }
        }
    }

    @Test
    void aServiceWhoseListenerClosesAMomentLaterIsWaitedFor() throws Exception {
        try (PortHold hold = PortHold.anyFree(LOOPBACK, "test")) {
            hold.release();
            ServerSocket service = new ServerSocket();
            service.setReuseAddress(true);
            service.bind(new InetSocketAddress(LOOPBACK, hold.port()));
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(PortHold.TAKE_BACK_WITHIN_MS / 4);
                    service.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            closer.start();
            hold.takeBack();
            closer.join();
            try (Socket intruder = new Socket()) {
                assertThrows(BindException.class, () -> intruder.bind(new InetSocketAddress(LOOPBACK, hold.port())));
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
