package io.zsentinel.deploy.lab;

import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each lab server a host of its own on one machine: a network namespace per server, joined to a bridge in the
 * machine's namespace by a veth pair, with an address of its own on a private /24 ({@code 10.213.N.0}); the broker
 * listens on the bridge's address ({@code .1}). A partition is real: the server's link to the bridge goes down,
 * and its agent — still running, its pool still imported — can no longer reach Kafka or anyone else, as when a
 * switch port fails; healing brings the link up. Needs root and {@code ip} (iproute2); without them the lab runs
 * every agent in the machine's namespace and refuses partitions. Interfaces and namespaces are named after the
 * lab ({@code NAME}), and leftovers of a killed lab with the same name are removed first.
 */
final class LabNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabNetwork.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final CommandRunner runner;
    private final String name;
    private final String subnet;
    private final Map<String, Integer> servers = new LinkedHashMap<>();

    private LabNetwork(CommandRunner runner, String name, String subnet) {
        this.runner = runner;
        this.name = name;
        this.subnet = subnet;
    }

    /** Whether this process may make namespaces: root, with iproute2. */
    static boolean available(CommandRunner runner) {
        return "root".equals(System.getProperty("user.name"))
                && runner.run(List.of("ip", "netns", "list"), TIMEOUT).succeeded();
    }

    /**
     * The lab's network named {@code name} (letters and digits, at most 8: interface names are short) on
     * {@code 10.213.<subnet>.0/24}, with a namespace for each of {@code servers}.
     */
    static LabNetwork create(CommandRunner runner, String name, int subnet, List<String> servers) {
        if (!name.matches("[a-z0-9]{1,8}") || subnet < 0 || subnet > 255) {
            throw new IllegalArgumentException("lab network name [a-z0-9]{1,8} and subnet 0..255, not " + name + ", " + subnet);
        }
        LabNetwork network = new LabNetwork(runner, name, "10.213." + subnet);
        network.removeLeftovers(servers.size());
        try {
            network.ip("link", "add", network.bridge(), "type", "bridge");
            network.ip("addr", "add", network.hostAddress() + "/24", "dev", network.bridge());
            network.ip("link", "set", network.bridge(), "up");
            for (String server : servers) {
                network.add(server);
            }
            log.info("lab network {}: bridge {} at {}, servers {}", name, network.bridge(), network.hostAddress(),
                    network.servers.keySet());
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void add(String server) {
        int index = servers.size() + 1;
        servers.put(server, index);
        String ns = namespace(index);
        String outside = name + "h" + index;
        String inside = name + "n" + index;
        ip("netns", "add", ns);
        ip("link", "add", outside, "type", "veth", "peer", "name", inside);
        ip("link", "set", inside, "netns", ns);
        ip("link", "set", outside, "master", bridge());
        ip("link", "set", outside, "up");
        ip("-n", ns, "addr", "add", addressOf(server) + "/24", "dev", inside);
        ip("-n", ns, "link", "set", inside, "up");
        ip("-n", ns, "link", "set", "lo", "up");
    }

    /** Where the machine's namespace (the broker, the controller) is reached from every server. */
    String hostAddress() {
        return subnet + ".1";
    }

    /** {@code server}'s own address, where the other servers reach it. */
    String addressOf(String server) {
        return subnet + "." + (10 + index(server));
    }

    /** The namespace {@code server}'s processes run in. */
    String namespaceOf(String server) {
        return namespace(index(server));
    }

    /**
     * The prefix that runs a command line inside {@code server}'s network namespace, and only that: {@code nsenter
     * --net} keeps the machine's mount namespace, where {@code ip netns exec} makes one of its own holding a copy of
     * every zfs-fuse mount of the moment — other tests' pools too — and zfs-fuse calls such a pool busy for as long
     * as the copy lives (an export or destroy elsewhere on the machine failed while a lab ran).
     */
    List<String> inside(String server) {
        return List.of("nsenter", "--net=/run/netns/" + namespaceOf(server), "--");
    }

    /** Cuts {@code server} off: its link to the bridge goes down. */
    void partition(String server) {
        ip("link", "set", name + "h" + index(server), "down");
    }

    /** Undoes {@link #partition}. */
    void heal(String server) {
        ip("link", "set", name + "h" + index(server), "up");
    }

    private int index(String server) {
        Integer index = servers.get(server);
        if (index == null) {
            throw new LabException("no lab server " + server + " on network " + name);
        }
        return index;
    }

    private String bridge() {
        return name + "br";
    }

    private String namespace(int index) {
        return name + "-" + index;
    }

    private void removeLeftovers(int count) {
        for (int i = 1; i <= count + 8; i++) {
            quietly("netns", "delete", namespace(i)); // takes its end of the veth pair with it, and so the pair
            quietly("link", "delete", name + "h" + i);
        }
        quietly("link", "delete", bridge());
    }

    private void ip(String... args) {
        CommandResult result = run(args);
        if (!result.succeeded()) {
            throw new LabException("ip " + String.join(" ", args) + " failed: " + result.errorText().strip());
        }
    }

    /** For what may already be gone (cleaning up): the outcome does not matter. */
    private void quietly(String... args) {
        run(args);
    }

    private CommandResult run(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        return runner.run(argv, TIMEOUT);
    }

    @Override
    public void close() {
        for (int index : servers.values()) {
            quietly("netns", "delete", namespace(index));
            quietly("link", "delete", name + "h" + index);
        }
        quietly("link", "delete", bridge());
        log.info("lab network {} removed", name);
    }
}
