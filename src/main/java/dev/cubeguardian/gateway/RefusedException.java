package dev.cubeguardian.gateway;

/** Bad input found while reading a client's bytes; the connection is closed for this reason. */
final class RefusedException extends Exception {

    private final Refusal refusal;

    RefusedException(Refusal refusal, String detail) {
        super(detail, null, false, false);
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
