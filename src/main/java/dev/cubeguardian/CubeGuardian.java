package dev.cubeguardian;

import org.apache.camel.main.Main;

/** Starts the worker: Camel Main finds {@link CubeGuardianConfiguration} and the routes under routes/. */
public final class CubeGuardian {

    private CubeGuardian() {
    }

    public static void main(String[] args) throws Exception {
        new Main(CubeGuardian.class).run(args);
    }
}
