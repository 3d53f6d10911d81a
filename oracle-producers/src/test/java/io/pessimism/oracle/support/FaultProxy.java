package io.pessimism.oracle.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a node: it can delay every request (to slow an oracle down enough to
 * kill it mid-backfill) and go down (connections cut, new ones refused) and come back on the same port.
 */
public final class FaultProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile long delayMillis;

    public FaultProxy(int targetPort) {
        this.targetPort = targetPort;
        this.port = FreePort.pick();
        up();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every chunk a client sends waits this long before it reaches the node. */
    public void delay(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            server = socket;
            Thread acceptor = new Thread(() -> accept(socket), "fault-proxy-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not listen on " + port, e);
        }
    }

    /** Cuts every connection and refuses new ones until {@link #up()}. */
    public synchronized void down() {
        closeQuietly(server);
        server = null;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    @Override
    public void close() {
        down();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket node = new Socket("127.0.0.1", targetPort);
                client.setTcpNoDelay(true);
                node.setTcpNoDelay(true);
                open.add(client);
                open.add(node);
                pipe(client, node, true);
                pipe(node, client, false);
            } catch (IOException e) {
                // closed by down(), or the node refused: the client sees its connection fail
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean delayed) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (delayed && delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
