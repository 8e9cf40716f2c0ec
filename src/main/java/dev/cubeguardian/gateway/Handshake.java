package dev.cubeguardian.gateway;

/**
 * The first packet of a Minecraft Java connection (1.7 and later).
 *
 * @param protocol      the client's protocol number (47 = 1.8, 340 = 1.12.2, 765 = 1.20.4, ...)
 * @param serverAddress the name the player typed (Forge and proxies append to it)
 * @param nextState     1 status (server list), 2 login, 3 transfer (1.20.5+, a login from another server)
 */
record Handshake(int protocol, String serverAddress, int serverPort, int nextState) {

    static final int STATUS = 1;
    static final int LOGIN = 2;
    static final int TRANSFER = 3;

    boolean isLogin() {
        return nextState == LOGIN || nextState == TRANSFER;
    }
}
