package io.pessimism.oracle.rpc;

import io.reactivex.disposables.Disposable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.websocket.WebSocketService;

/**
 * Wakes a waiting oracle as soon as the node announces a new head ({@code eth_subscribe newHeads} over
 * WebSocket), so following the head does not wait out the poll interval. Only a wake-up: the oracle
 * still reads blocks over HTTP and still polls, so a lost or broken subscription costs latency, never data.
 */
public final class NewHeadsSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NewHeadsSignal.class);

    private final Semaphore heads = new Semaphore(0);
    private WebSocketService service;
    private Web3j web3j;
    private Disposable subscription;

    private NewHeadsSignal() {
    }

    /** Subscribes when a WebSocket URL is given and the node accepts; otherwise a signal that only times out. */
    public static NewHeadsSignal connect(Optional<String> wsUrl) {
        NewHeadsSignal signal = new NewHeadsSignal();
        wsUrl.ifPresent(signal::subscribe);
        return signal;
    }

    private void subscribe(String url) {
        try {
            service = new WebSocketService(url, false);
            service.connect();
            web3j = Web3j.build(service);
            subscription = web3j.newHeadsNotifications().subscribe(head -> heads.release(), error -> {
                LOG.warn("newHeads subscription on {} ended, polling only: {}", url, error.toString());
            });
            LOG.info("following new heads over {}", url);
        } catch (Exception e) {
            LOG.warn("no newHeads subscription on {}, polling only: {}", url, e.toString());
            close();
        }
    }

    public boolean subscribed() {
        return subscription != null && !subscription.isDisposed();
    }

    /** Waits until a new head is announced or {@code timeout} passes. */
    public void await(Duration timeout) throws InterruptedException {
        if (heads.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            heads.drainPermits();
        }
    }

    /** Ends a wait at once (the oracle is stopping). */
    public void wake() {
        heads.release();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (web3j != null) {
            web3j.shutdown();
        } else if (service != null) {
            service.close();
        }
    }
}
