/**
 * Node-RED settings for running the CubeGuardian example flows locally and in the
 * integration test (src/test/java/dev/cubeguardian/it/NodeRedIT.java).
 *
 * Start it with `npm start` (see package.json) or, as the test does:
 *   node node_modules/node-red/red.js --userDir <dir> --port <port> --settings <absolute path of this file>
 * with the flows in <dir>/flows.json.
 *
 * Everything stays on this machine: the editor and the HTTP endpoints listen on 127.0.0.1 only,
 * telemetry and update checks are off. The flow's MQTT broker is set with MQTT_HOST / MQTT_PORT
 * (see docs/node-red.md).
 *
 * This is not a production configuration: there is no editor login (adminAuth) and no TLS.
 * Keep your own Node-RED's settings.js for a real install and import flow.json into it.
 */
module.exports = {
    // Relative to --userDir. The test copies flow.json here; `npm start` does too, once.
    flowFile: "flows.json",
    flowFilePretty: true,

    // Credentials (the broker's user name and password, see docs/node-red.md) are stored
    // encrypted in flows_cred.json with this key. Unset: Node-RED generates a key and keeps it
    // in <userDir>/.config.runtime.json, which is fine on one machine; set
    // NODE_RED_CREDENTIAL_SECRET to move the flows with their credentials elsewhere.
    credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || undefined,

    // Loopback only. --port on the command line overrides uiPort.
    uiHost: "127.0.0.1",
    uiPort: process.env.PORT || 1880,

    // The flow's http-in endpoints (POST /cubeguardian/wake, GET /cubeguardian/status) live under "/".
    httpNodeRoot: "/",
    // The editor, at http://127.0.0.1:1880/. NODE_RED_DISABLE_EDITOR=true turns it (and the admin API) off.
    httpAdminRoot: process.env.NODE_RED_DISABLE_EDITOR === "true" ? false : "/",

    // No data leaves the machine: no usage telemetry, no "new version available" check.
    telemetry: {
        enabled: false,
        updateNotification: false
    },
    diagnostics: {
        enabled: false,
        ui: false
    },

    functionExternalModules: false,
    functionTimeout: 0,

    logging: {
        console: {
            level: process.env.NODE_RED_LOG_LEVEL || "info",
            metrics: false,
            audit: false
        }
    },

    editorTheme: {
        // The palette manager would ask the npm catalogue when opened; install nodes with npm instead.
        palette: {
            catalogues: []
        },
        tours: false
    }
};
