package io.zsentinel.deploy.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps this controller's side of the {@link ControllerLease}: renews it every {@code renewEvery} while it holds it,
 * tries to take it while it does not, and tells {@link Roles} when this controller became active (with its epoch) or
 * passive. Renewals run on a thread of their own and the role changes on another, so a slow start of the controller
 * never delays a renewal.
 * <p>
 * {@link #epoch()} is the guard every agent command passes: it answers only while the lease is certainly still ours
 * by this machine's monotonic clock — from the moment the last successful renewal was <em>sent</em>, less a margin
 * of a tenth of the ttl — so a controller cut off from the store stops ordering before the standby can take over.
 */
public final class LeaseKeeper implements AutoCloseable, LongSupplier {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** What the keeper switches: the components an active controller runs. */
    public interface Roles {
        /** This controller holds the lease at {@code epoch}: start what an active controller runs. */
        void active(long epoch);

        /** This controller no longer holds the lease: stop everything that orders agents or reads their facts. */
        void passive(String why);
    }

    /** What this controller knows of the lease: whether it holds it, at which epoch, and who else does. */
    public record Status(boolean active, long epoch, String holder, String detail) {
    }

    private final ControllerLease lease;
    private final String holder;
    private final Duration renewEvery;
    private final Roles roles;
    private final long validNanos;
    private final ScheduledExecutorService renewals;
    private final ExecutorService transitions;

    private volatile long epoch; // 0: not held
    private volatile long validUntilNanos;
    private volatile Status status;
    /** After {@link #resign}: this controller does not ask for the lease before this (System.nanoTime()). */
    private long quietUntilNanos;
    private boolean quiet;

    public LeaseKeeper(ControllerLease lease, String holder, Duration renewEvery, Roles roles) {
        this.lease = lease;
        this.holder = holder;
        this.renewEvery = renewEvery;
        this.roles = roles;
        this.validNanos = lease.ttl().minus(lease.ttl().dividedBy(10)).toNanos();
        this.status = new Status(false, 0, null, "not yet asked the store");
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "controller-lease"));
        this.transitions = Executors.newSingleThreadExecutor(r -> daemon(r, "controller-role"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Asks for the lease once now — when it is free this controller is active before this returns — then keeps
     * asking (or renewing) every {@code renewEvery}.
     */
    public LeaseKeeper start() {
        tick();
        try {
            transitions.submit(() -> { }).get(); // the first activation, if any, has run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        renewals.scheduleWithFixedDelay(this::tick, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void tick() {
        try {
            if (epoch > 0) {
                renew();
            } else {
                acquire();
            }
        } catch (RuntimeException e) {
            log.error("controller lease: unexpected failure, tried again in {}", renewEvery, e);
        }
    }

    private void renew() {
        long sentAt = System.nanoTime();
        try {
            if (lease.renew(holder, epoch)) {
                validUntilNanos = sentAt + validNanos;
                return;
            }
            lose("the lease of epoch " + epoch + " lapsed or another controller took it"
                    + lease.current().map(h -> " (now " + h.holder() + " at epoch " + h.epoch() + ")").orElse(""));
        } catch (ControllerLease.LeaseUnavailable e) {
            if (System.nanoTime() - validUntilNanos >= 0) {
                lose("the store did not answer before the lease ran out: " + e.getMessage());
            } else {
                log.warn("controller lease of epoch {} not renewed, still ours for {} ms: {}", epoch,
                        (validUntilNanos - System.nanoTime()) / 1_000_000, e.getMessage());
            }
        }
    }

    private void lose(String why) {
        long lost = epoch;
        epoch = 0;
        status = new Status(false, 0, null, "standby: lost the lease of epoch " + lost + ": " + why);
        log.warn("controller {} is passive: {}", holder, why);
        transitions.execute(() -> roles.passive(why));
    }

    private void acquire() {
        if (quiet && System.nanoTime() - quietUntilNanos < 0) {
            return;
        }
        quiet = false;
        long sentAt = System.nanoTime();
        Optional<Long> taken;
        try {
            taken = lease.tryAcquire(holder);
        } catch (ControllerLease.LeaseUnavailable e) {
            status = new Status(false, 0, null, "standby: " + e.getMessage());
            return;
        }
        if (taken.isEmpty()) {
            Optional<ControllerLease.Holder> other = Optional.empty();
            try {
                other = lease.current();
            } catch (ControllerLease.LeaseUnavailable e) {
                log.debug("lease holder unknown: {}", e.getMessage());
            }
            status = other.map(h -> new Status(false, h.epoch(), h.holder(), "standby: " + h.holder()
                    + " is active at epoch " + h.epoch() + ", its lease runs to " + h.expiresAt()))
                    .orElseGet(() -> new Status(false, 0, null, "standby"));
            return;
        }
        long e = taken.get();
        validUntilNanos = sentAt + validNanos;
        epoch = e;
        status = new Status(true, e, holder, "active at epoch " + e);
        log.info("controller {} took the lease of cell '{}' at epoch {}", holder, lease.cell(), e);
        transitions.execute(() -> {
            if (epoch == e) {
                roles.active(e);
            }
        });
    }

    /**
     * Gives the lease up and does not ask for it again for one ttl, so that another controller takes it: for a
     * controller that holds the lease but could not start.
     */
    public void resign(String why) {
        renewals.execute(() -> {
            synchronized (this) {
                long held = epoch;
                if (held == 0) {
                    return;
                }
                epoch = 0;
                quiet = true;
                quietUntilNanos = System.nanoTime() + lease.ttl().toNanos();
                status = new Status(false, 0, null, "standby: gave up the lease of epoch " + held + ": " + why);
                log.warn("controller {} gives up the lease of epoch {}: {}", holder, held, why);
                try {
                    lease.release(holder, held);
                } catch (ControllerLease.LeaseUnavailable e) {
                    log.warn("controller {} could not release its lease; it lapses: {}", holder, e.getMessage());
                }
            }
        });
    }

    /** The epoch to stamp on an agent command; refused once the lease may have lapsed. */
    @Override
    public long getAsLong() {
        return epoch();
    }

    /** As {@link #getAsLong()}. */
    public long epoch() {
        long e = epoch;
        if (e == 0 || System.nanoTime() - validUntilNanos >= 0) {
            throw new LeaseLost("controller " + holder + " does not hold the lease now (epoch " + e
                    + "); no command is sent");
        }
        return e;
    }

    /**
     * The guard of what one activation started: answers {@code held} while this controller holds the lease at that
     * epoch, and refuses once the lease may have lapsed or was taken again at another epoch, so that the parts of an
     * earlier activation, still closing, never act under the next one's epoch.
     */
    public LongSupplier at(long held) {
        return () -> {
            long now = epoch();
            if (now != held) {
                throw new LeaseLost("controller " + holder + " now holds the lease at epoch " + now + ", not at " + held
                        + " (an earlier activation is closing); no command is sent");
            }
            return now;
        };
    }

    public Status status() {
        return status;
    }

    public String holder() {
        return holder;
    }

    /** A clean stop: the lease is given up at once, so the standby takes over without waiting for it to lapse. */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops renewing and leaves the lease to lapse: what a killed controller does (for tests). */
    public void abandon() {
        stop(false);
    }

    private void stop(boolean release) {
        renewals.shutdownNow();
        try {
            renewals.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long held;
        synchronized (this) {
            held = epoch;
            epoch = 0;
        }
        if (held > 0) { // the components stop before the lease goes, so the next holder never overlaps them
            transitions.execute(() -> roles.passive(release ? "stopping" : "abandoned without giving the lease up"));
        }
        transitions.shutdown();
        try {
            transitions.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (release && held > 0) {
            try {
                lease.release(holder, held);
                log.info("controller {} released the lease of epoch {}", holder, held);
            } catch (ControllerLease.LeaseUnavailable e) {
                log.warn("controller {} could not release its lease; the standby takes over when it lapses: {}",
                        holder, e.getMessage());
            }
        }
    }

    /** Thrown by the guard of agent commands when this controller does not certainly hold the lease. */
    public static final class LeaseLost extends IllegalStateException {
        public LeaseLost(String message) {
            super(message);
        }
    }
}
