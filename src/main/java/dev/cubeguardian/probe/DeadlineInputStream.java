package dev.cubeguardian.probe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Socket input whose reads all end by one deadline. A plain soTimeout bounds each read alone,
 * so a peer trickling a byte at a time could otherwise hold the caller indefinitely.
 */
final class DeadlineInputStream extends FilterInputStream {

    private final Socket socket;
    private final Deadline deadline;

    DeadlineInputStream(Socket socket, Deadline deadline) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        arm();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return super.read(b, off, len);
    }

    private void arm() throws IOException {
        if (deadline.passed()) {
            throw new SocketTimeoutException("time limit for the exchange has passed");
        }
        socket.setSoTimeout(deadline.remainingTimeoutMillis());
    }
}
