package dev.cubeguardian.it;

import dev.cubeguardian.CubeGuardian;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The real worker (Camel Main, the shipped routes and configuration) started in this JVM with test settings. */
public final class WorkerUnderTest implements AutoCloseable {

    private final Main main = CubeGuardian.newMain();

    public WorkerUnderTest(Map<String, String> settings) {
        // several workers may run in one test JVM: the HTTP management port only where a test asks for it
        if (!settings.containsKey("camel.management.enabled")) {
            main.addOverrideProperty("camel.management.enabled", "false");
        }
        settings.forEach(main::addOverrideProperty);
    }

    public WorkerUnderTest start() throws Exception {
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
