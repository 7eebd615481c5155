package io.zsentinel.deploy.agent;

import io.zsentinel.core.messages.facts.PeerProbe;
import io.zsentinel.core.values.ServerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes this agent's peers: a TCP connection to each one's {@link ProbeListener}, within {@code timeout}; the
 * latest result of each goes out with the next heartbeat. A peer unreachable from here and from the controller is
 * dead, not cut off from the controller alone (the failure detector's second observation). Each change of a
 * peer's reachability is logged once.
 */
final class PeerProbes {
    private static final Logger log = LoggerFactory.getLogger(PeerProbes.class);

    private final ServerId self;
    private final Map<ServerId, InetSocketAddress> peers;
    private final Duration timeout;
    private final Clock clock;
    private final Map<ServerId, PeerProbe> latest = new ConcurrentHashMap<>();

    PeerProbes(ServerId self, Map<ServerId, InetSocketAddress> peers, Duration timeout, Clock clock) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes every peer once, one after another (a peer cut off costs up to the timeout). */
    void probeAll() {
        peers.forEach((peer, address) -> {
            boolean reachable = reachable(address);
            PeerProbe before = latest.put(peer, new PeerProbe(peer, reachable, clock.instant()));
            if (before == null ? !reachable : before.reachable() != reachable) {
                if (reachable) {
                    log.info("{} reaches peer {} at {} again", self, peer, text(address));
                } else {
                    log.warn("{} cannot reach peer {} at {}", self, peer, text(address));
                }
            }
        });
    }

    /** The latest probe of each peer, ordered by peer. */
    List<PeerProbe> latest() {
        return latest.values().stream().sorted(java.util.Comparator.comparing(PeerProbe::peer)).toList();
    }

    private boolean reachable(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            // resolved at each probe: a peer's name may move to another address
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int) timeout.toMillis());
            // the peer must answer: a paused agent's kernel still accepts connections (ProbeListener); an ssh
            // target's banner answers too
            socket.setSoTimeout((int) timeout.toMillis());
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            log.debug("probe of {} failed: {}", text(address), e.toString());
            return false;
        }
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
