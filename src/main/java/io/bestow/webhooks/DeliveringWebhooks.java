package io.bestow.webhooks;

import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.OutboundHttp;
import io.bestow.shared.OutboundRefused;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends webhook deliveries: those this node queued, under the claim they were queued with, as soon as they are
 * committed; the others (due retries, deliveries beyond an endpoint's limit, those of a node that died) it claims with
 * row locks, so that several nodes never send the same attempt. It signs
 * each per Standard Webhooks, POSTs it, and records the attempt. A failure (anything but 2xx, a timeout, a connection
 * error) is retried on the schedule, or after {@code Retry-After} when a 429 or 503 asks for longer; 410 Gone
 * disables the endpoint, and so does a run of failures longer than {@code bestow.webhooks.disable-after}. Each node
 * sends at most an endpoint's {@code max_in_flight} deliveries at a time.
 */
@Component
class DeliveringWebhooks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveringWebhooks.class);
    private static final int BATCH = 200;
    private static final int BODY_LIMIT = 4_096;
    private static final int ACK_BATCH = 500;
    private static final Duration COALESCE = Duration.ofMillis(10);

    private final Deliveries deliveries;
    private final Endpoints endpoints;
    private final OutboundHttp http;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final List<Duration> schedule;
    private final Duration lease;
    private final Duration pollInterval;
    private final Duration timeout;
    private final Duration disableAfter;
    private final int maxWaiting;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpointCache = new ConcurrentHashMap<>();
    private final Semaphore signal = new Semaphore(0);
    /** Made on every start: a stopped node (or a paused test context) may start again. */
    private volatile ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    private final BlockingQueue<Deliveries.Success> successes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Deliveries.Claimed> released = new LinkedBlockingQueue<>();
    private volatile boolean running;
    /** Whether the last claim may have left due deliveries behind: then a finished send wakes the loop. */
    private volatile boolean claimAfterSends = true;

    private @Nullable Thread loop;
    private @Nullable Thread recorder;

    DeliveringWebhooks(
            Deliveries deliveries,
            Endpoints endpoints,
            OutboundHttp http,
            TransactionTemplate transaction,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${bestow.webhooks.schedule:0s,5s,5m,30m,2h,5h,10h,14h,20h,24h}") String schedule,
            @Value("${bestow.webhooks.lease:60s}") Duration lease,
            @Value("${bestow.webhooks.poll-interval:500ms}") Duration pollInterval,
            @Value("${bestow.webhooks.timeout:10s}") Duration timeout,
            @Value("${bestow.webhooks.disable-after:5d}") Duration disableAfter,
            @Value("${bestow.webhooks.max-waiting:1000}") int maxWaiting) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.http = http;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
        this.schedule = Arrays.stream(schedule.split(","))
                .map(String::trim)
                .map(DurationStyle::detectAndParse)
                .toList();
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
        this.disableAfter = disableAfter;
        this.maxWaiting = maxWaiting;
    }

    /** The lease to queue deliveries under for this node to send once they are committed: none while stopped. */
    FanOut.Lease lease() {
        return running ? new FanOut.Lease(Ids.generate("claim"), clock.instant().plus(lease)) : FanOut.Lease.NONE;
    }

    /**
     * Sends committed deliveries this node queued under their lease, in order within each endpoint's limit; beyond
     * {@code bestow.webhooks.max-waiting} waiting for an endpoint they are released for the claims, so that a slow
     * receiver's backlog waits in the database rather than in memory.
     */
    void handOff(List<Deliveries.Claimed> claimed) {
        var touched = new HashSet<Lane>();
        for (var delivery : claimed) {
            var lane = lane(delivery.endpointId());
            if (running && lane.waiting() < maxWaiting) {
                lane.add(delivery);
                touched.add(lane);
            } else {
                release(delivery);
            }
        }
        touched.forEach(Lane::drain);
    }

    private Lane lane(String endpointId) {
        return lanes.computeIfAbsent(endpointId, id -> new Lane());
    }

    /** Gives a claimed delivery back unsent (the loop releases it): it is claimed again, by any node. */
    private void release(Deliveries.Claimed delivery) {
        released.add(delivery);
        wake();
    }

    /**
     * An endpoint's deliveries on this node: those being sent, at most as many as its {@code max_in_flight}, and those
     * waiting for room, in the order they came.
     */
    private final class Lane {

        private final AtomicInteger sending = new AtomicInteger();
        private final AtomicInteger waitingCount = new AtomicInteger();
        private final Queue<Deliveries.Claimed> waiting = new ConcurrentLinkedQueue<>();
        volatile int limit = 1;

        int sending() {
            return sending.get();
        }

        int waiting() {
            return waitingCount.get();
        }

        void add(Deliveries.Claimed delivery) {
            limit = delivery.endpointMaxInFlight();
            waitingCount.incrementAndGet();
            waiting.add(delivery);
        }

        /**
         * Starts waiting deliveries while there is room; one whose lease is half gone (a long transaction queued it,
         * or it waited long) is released instead, so that it is never sent after its lease ran out.
         */
        void drain() {
            while (reserve()) {
                var next = waiting.poll();
                if (next == null) {
                    sending.decrementAndGet();
                    // A delivery added meanwhile may have found no room because of this reservation.
                    if (waiting.isEmpty()) {
                        return;
                    }
                    continue;
                }
                waitingCount.decrementAndGet();
                if (!clock.instant().isBefore(next.leaseUntil().minus(lease.dividedBy(2)))) {
                    sending.decrementAndGet();
                    release(next);
                    continue;
                }
                dispatch(next, this);
            }
        }

        private boolean reserve() {
            while (true) {
                int current = sending.get();
                if (current >= limit) {
                    return false;
                }
                if (sending.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        void done() {
            sending.decrementAndGet();
            drain();
        }

        /** Takes every waiting delivery out (the node is stopping). */
        void clear(List<Deliveries.Claimed> into) {
            for (var next = waiting.poll(); next != null; next = waiting.poll()) {
                waitingCount.decrementAndGet();
                into.add(next);
            }
        }
    }

    /** Tells the loop there may be work now (a commit queued deliveries, or a send finished). */
    void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    @Override
    public void start() {
        running = true;
        if (senders.isShutdown()) {
            senders = Executors.newVirtualThreadPerTaskExecutor();
        }
        loop = Thread.ofPlatform().daemon().name("webhook-deliveries").start(this::run);
        recorder = Thread.ofPlatform().daemon().name("webhook-acknowledgements").start(this::acknowledge);
    }

    /** Records successful attempts in batches until stopped, and then what is left. */
    private void acknowledge() {
        var batch = new ArrayList<Deliveries.Success>();
        while (running || !successes.isEmpty()) {
            try {
                var first = successes.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                successes.drainTo(batch, ACK_BATCH - 1);
                var now = clock.instant();
                transaction.executeWithoutResult(tx -> deliveries.succeeded(batch, now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Unacknowledged, these deliveries are sent again once their claims run out: at least once.
                log.warn("Recording {} webhook deliveries failed", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(5));
            }
            releaseWaiting();
            senders.shutdown();
            senders.awaitTermination(timeout.toSeconds() + 5, TimeUnit.SECONDS);
            if (recorder != null) {
                recorder.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops first) and before the database. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    private void run() {
        while (running) {
            try {
                releaseHandedBack();
                int claimed = poll();
                if (claimed < BATCH) {
                    signal.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    // Wake-ups that come close together make one claim: each claim locks a page of candidates.
                    Thread.sleep(COALESCE);
                    signal.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Claiming webhook deliveries failed; trying again", e);
                    try {
                        Thread.sleep(pollInterval);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void releaseHandedBack() {
        var batch = new ArrayList<Deliveries.Claimed>();
        released.drainTo(batch);
        if (!batch.isEmpty()) {
            // Should this fail, the leases run out instead and the deliveries are claimed then.
            deliveries.release(batch);
        }
    }

    /** Gives back what waits unsent when the node stops, so that other nodes need not wait for the leases. */
    private void releaseWaiting() {
        var batch = new ArrayList<Deliveries.Claimed>();
        lanes.values().forEach(lane -> lane.clear(batch));
        released.drainTo(batch);
        if (!batch.isEmpty()) {
            try {
                deliveries.release(batch);
            } catch (RuntimeException e) {
                log.warn("Releasing {} unsent webhook deliveries failed; their claims run out instead", batch.size());
            }
        }
    }

    /** Claims what is due, as much as each endpoint has room for, and starts sending it; how many it claimed. */
    int poll() {
        var busy = new HashMap<String, Integer>();
        boolean full = false;
        for (var entry : lanes.entrySet()) {
            int taken = entry.getValue().sending() + entry.getValue().waiting();
            if (taken > 0) {
                busy.put(entry.getKey(), taken);
                full |= taken >= entry.getValue().limit;
            }
        }
        var now = clock.instant();
        var claimed = deliveries.claim(now, now.plus(lease), Ids.generate("claim"), BATCH, busy);
        var touched = new HashSet<Lane>();
        for (var delivery : claimed) {
            var lane = lane(delivery.endpointId());
            lane.add(delivery);
            touched.add(lane);
        }
        touched.forEach(Lane::drain);
        // Nothing claimed while every endpoint had room: nothing is due, so finished sends need not claim again.
        claimAfterSends = !claimed.isEmpty() || full;
        return claimed.size();
    }

    /** Sends a delivery on a virtual thread; its lane starts the next one when it is done. */
    private void dispatch(Deliveries.Claimed delivery, Lane lane) {
        try {
            senders.execute(() -> {
                try {
                    send(delivery);
                } catch (RuntimeException e) {
                    log.warn("Sending webhook delivery {} failed", delivery.id(), e);
                } finally {
                    lane.done();
                    if (claimAfterSends) {
                        wake();
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // The node is stopping: the claim runs out and another node (or this one, restarted) sends it.
            lane.sending.decrementAndGet();
        }
    }

    private void send(Deliveries.Claimed delivery) {
        var endpoint = endpoint(delivery);
        var started = clock.instant();
        if (endpoint == null || !endpoint.enabled()) {
            deliveries.finish(delivery, Delivery.FAILED, null, null, "The endpoint is disabled or deleted", started);
            return;
        }
        var timestamp = started.getEpochSecond();
        var request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        endpoint.headers().forEach(request::header);
        request.header("Content-Type", "application/json")
                .header("User-Agent", "Bestow-Webhooks/1")
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header(
                        "webhook-signature",
                        Signatures.header(endpoint.signingSecrets(started), delivery.id(), timestamp, delivery.body()));
        Integer status = null;
        String body = null;
        String error = null;
        Optional<Duration> retryAfter = Optional.empty();
        long startedNanos = System.nanoTime();
        try {
            var response = http.send(request.build());
            status = response.statusCode();
            var text = new String(response.body(), StandardCharsets.UTF_8);
            body = text.length() > BODY_LIMIT ? text.substring(0, BODY_LIMIT) : text;
            if (status / 100 != 2) {
                error = "The receiver answered " + status;
                retryAfter = OutboundHttp.retryAfter(response, clock.instant());
            }
        } catch (HttpTimeoutException e) {
            error = "No answer within " + timeout.toSeconds() + " s";
        } catch (IOException | OutboundRefused e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        var duration = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        record(
                delivery,
                endpoint,
                new Delivery.Attempt(delivery.attempt(), started, status, body, duration, error),
                retryAfter);
    }

    private void record(
            Deliveries.Claimed delivery, Endpoint endpoint, Delivery.Attempt attempt, Optional<Duration> retryAfter) {
        if (attempt.error() == null && endpoint.failingSince() == null) {
            // The common case is acknowledged in batches: one transaction for many deliveries.
            successes.add(new Deliveries.Success(delivery, Ids.generate("att"), attempt));
            return;
        }
        var now = clock.instant();
        transaction.executeWithoutResult(tx -> {
            deliveries.recordAttempt(Ids.generate("att"), delivery.id(), attempt);
            if (attempt.error() == null) {
                deliveries.finish(delivery, Delivery.SUCCEEDED, null, attempt.statusCode(), null, now);
                if (endpoint.failingSince() != null) {
                    endpoints.markHealthy(endpoint.id(), now);
                }
                return;
            }
            if (Integer.valueOf(410).equals(attempt.statusCode())) {
                deliveries.finish(delivery, Delivery.FAILED, null, 410, attempt.error(), now);
                disable(delivery, endpoint, "The receiver answered 410 Gone", now);
                return;
            }
            Instant next = null;
            if (delivery.attempt() < schedule.size()) {
                var wait = schedule.get(delivery.attempt());
                if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
                    wait = retryAfter.get();
                }
                next = now.plus(wait);
            }
            deliveries.finish(
                    delivery,
                    next == null ? Delivery.FAILED : Delivery.PENDING,
                    next,
                    attempt.statusCode(),
                    attempt.error(),
                    now);
            // Only the first failure of a run writes the endpoint, so that failing deliveries do not queue on its row.
            var failingSince = endpoint.failingSince() != null
                    ? endpoint.failingSince()
                    : endpoints.markFailing(endpoint.id(), now);
            if (!failingSince.plus(disableAfter).isAfter(now)) {
                disable(delivery, endpoint, "Every delivery failed since " + failingSince, now);
            }
        });
    }

    private void disable(Deliveries.Claimed delivery, Endpoint endpoint, String reason, Instant now) {
        if (endpoints.disable(endpoint.id(), reason, now)) {
            deliveries.failPending(endpoint.id(), "The endpoint was disabled: " + reason, now);
            endpoints
                    .find(endpoint.id())
                    .ifPresent(disabled -> events.publishEvent(
                            new WebhookEndpointDisabled(EventMeta.of(delivery.project(), clock), disabled)));
        }
    }

    /** The endpoint as the claim saw it, read again only when it changed since this node cached it. */
    private @Nullable Endpoint endpoint(Deliveries.Claimed delivery) {
        var cached = endpointCache.get(delivery.endpointId());
        if (cached != null && cached.updatedAt().equals(delivery.endpointUpdatedAt())) {
            return cached;
        }
        var fresh = endpoints.find(delivery.endpointId()).orElse(null);
        if (fresh == null) {
            endpointCache.remove(delivery.endpointId());
        } else {
            endpointCache.put(fresh.id(), fresh);
        }
        return fresh;
    }
}
