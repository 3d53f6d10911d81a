package io.pessimism.oracle.rpc;

import io.reactivex.disposables.Disposable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSubscribe;
import org.web3j.protocol.websocket.WebSocketService;
import org.web3j.protocol.websocket.events.NewHeadsNotification;

/**
 * Wakes a waiting oracle as soon as the node announces a new head ({@code eth_subscribe newHeads} over
 * WebSocket), so following the head does not wait out the poll interval. Only a wake-up: the oracle
 * still reads blocks over HTTP and still polls, so a lost or broken subscription costs latency, never data.
 * A subscription that cannot be made or that ends (the node restarted, the connection dropped) is made
 * again after a bounded backoff, on a thread of its own; polling goes on meanwhile.
 */
public final class NewHeadsSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NewHeadsSignal.class);
    /** How long {@link #connect} waits for the first subscription before returning polling-only. */
    private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(10);

    private final Semaphore heads = new Semaphore(0);
    private final String url;
    /** Touched only on the resubscriber thread. */
    private final Backoff backoff;
    private final ScheduledExecutorService resubscriber;
    /** The live subscription, or null; written only on the resubscriber thread. */
    private volatile Subscription current;
    private volatile boolean closed;
    /** Only the first failure of a run is a WARN; a node without subscriptions would otherwise fill the log. */
    private boolean failing;

    private NewHeadsSignal(String url, Backoff backoff) {
        this.url = url;
        this.backoff = backoff;
        this.resubscriber = url == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "new-heads " + url);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A signal that only times out: the oracle polls. */
    public static NewHeadsSignal pollingOnly() {
        return new NewHeadsSignal(null, null);
    }

    /**
     * Subscribes when a WebSocket URL is given, waiting a bounded time for the first attempt; whether it
     * succeeds or not, a subscription that is missing or ends is made again after {@code retryInitial}
     * growing to {@code retryMax}.
     */
    public static NewHeadsSignal connect(Optional<String> wsUrl, Duration retryInitial, Duration retryMax) {
        if (wsUrl.isEmpty()) {
            return pollingOnly();
        }
        NewHeadsSignal signal = new NewHeadsSignal(wsUrl.get(), new Backoff(retryInitial, retryMax));
        Future<?> first = signal.resubscriber.submit(signal::subscribe);
        try {
            first.get(FIRST_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("newHeads subscription on {} not made within {}; polling until it is", signal.url, FIRST_ATTEMPT);
        } catch (ExecutionException e) {
            LOG.warn("newHeads subscription on {} failed: {}", signal.url, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return signal;
    }

    /** True while a subscription is open (asked for and not ended). */
    public boolean subscribed() {
        return current != null;
    }

    /**
     * Waits until a new head is announced (or {@link #wake} is called) or {@code timeout} passes.
     *
     * @return true when woken before the timeout
     */
    public boolean await(Duration timeout) throws InterruptedException {
        if (heads.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            heads.drainPermits();
            return true;
        }
        return false;
    }

    /** Ends a wait at once (the oracle is stopping). */
    public void wake() {
        heads.release();
    }

    @Override
    public void close() {
        closed = true;
        if (resubscriber != null) {
            resubscriber.shutdownNow();
            try {
                // the resubscriber owns current: let a running attempt finish before closing what it made
                resubscriber.awaitTermination(FIRST_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Subscription last = current;
        current = null;
        if (last != null) {
            last.close();
        }
    }

    /** On the resubscriber thread. */
    private void subscribe() {
        if (closed) {
            return;
        }
        WebSocketService service = new WebSocketService(url, false);
        try {
            service.connect();
            Subscription subscription = new Subscription(service);
            subscription.disposable = service.subscribe(
                    new Request<>("eth_subscribe", List.of("newHeads"), service, EthSubscribe.class),
                    "eth_unsubscribe", NewHeadsNotification.class)
                    .subscribe(head -> {
                        subscription.headSeen = true;
                        heads.release();
                    }, error -> ended(subscription, error.toString()), () -> ended(subscription, "the node ended it"));
            current = subscription;
            if (closed) { // close() may have looked at current before it was set
                current = null;
                subscription.close();
                return;
            }
            LOG.info(failing ? "following new heads over {} again" : "following new heads over {}", url);
            failing = false;
        } catch (Exception e) {
            service.close();
            retryLater("no newHeads subscription on " + url + ": " + e);
        }
    }

    /** From web3j's thread: hands the subscription's end to the resubscriber thread. */
    private void ended(Subscription subscription, String reason) {
        try {
            resubscriber.execute(() -> {
                if (current != subscription) {
                    return; // already replaced or closed
                }
                current = null;
                subscription.close();
                if (subscription.headSeen) {
                    backoff.reset(); // it worked for a while: this is a new run of failures
                }
                retryLater("newHeads subscription on " + url + " ended (" + reason + ")");
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing to resubscribe
        }
    }

    private void retryLater(String why) {
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        if (failing) {
            LOG.debug("{}; subscribing again in {} ms", why, delay.toMillis());
        } else {
            LOG.warn("{}; polling only, subscribing again in {} ms (backoff up to its bound while it fails)", why,
                    delay.toMillis());
        }
        failing = true;
        try {
            resubscriber.schedule(this::subscribe, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** One WebSocket connection and its newHeads subscription. */
    private static final class Subscription {
        private final WebSocketService service;
        private volatile Disposable disposable;
        private volatile boolean headSeen;

        private Subscription(WebSocketService service) {
            this.service = service;
        }

        void close() {
            if (disposable != null) {
                disposable.dispose();
            }
            service.close();
        }
    }
}
