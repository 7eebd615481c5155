package io.zsentinel.deploy.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The agent's probe port: a TCP listener that answers each connection with one byte and closes it. A peer that reads
 * the byte knows this server's network and agent are up; a connection alone is not enough: the kernel accepts
 * connections into the listen queue for a paused (SIGSTOPped) agent, which would then look reachable for as long as
 * the queue has room. Nothing is read, so there is nothing to parse or abuse.
 */
final class ProbeListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeListener.class);

    /** What a probe reads: any byte will do (an ssh server's banner also answers). */
    static final int ANSWER = '+';

    private final ServerSocket socket;
    private final Thread acceptor;

    private ProbeListener(ServerSocket socket, String name) {
        this.socket = socket;
        this.acceptor = new Thread(this::acceptAll, name);
        acceptor.setDaemon(true);
    }

    /** Listens on every address of this server at {@code port} (0: a free port, see {@link #port()}). */
    static ProbeListener open(int port, String name) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 50);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot listen for peer probes on port " + port + " (" + e.getMessage()
                    + "); free the port or set another probePort in agent.yaml (and in the peers' entries for this"
                    + " server)", e);
        }
        ProbeListener listener = new ProbeListener(socket, name);
        listener.acceptor.start();
        log.info("listening for peer probes on port {}", listener.port());
        return listener;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket probe = socket.accept()) {
                probe.getOutputStream().write(ANSWER); // then a close, not a reset: the peer reads the byte first
                probe.getOutputStream().flush();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.debug("a peer probe's connection failed: {}", e.toString());
                }
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // it was never listening
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
