package dev.cubeguardian.discord.bus;

/** The bot is not connected to the broker, or the worker says it is offline: nothing was published. */
public final class BrokerUnavailableException extends Exception {

    private final boolean brokerDown;

    public BrokerUnavailableException(boolean brokerDown, String message) {
        super(message);
        this.brokerDown = brokerDown;
    }

    /** true: the bot cannot reach the broker; false: the broker is fine but the worker is offline. */
    public boolean brokerDown() {
        return brokerDown;
    }
}
