package io.zsentinel.deploy.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How this agent reaches one target server's {@code zfs receive}. In {@code agent.yaml}, under
 * {@code targets}, keyed by the target's server id; a server not listed is {@code local}.
 * <pre>
 * targets:
 *   standby: { transport: local }                  # the target's pools are on this host (the lab)
 *   offsite: { transport: ssh, host: 10.1.0.7, user: zsentinel, port: 22,
 *              identityFile: /etc/zsentinel/id_ed25519, mbuffer: true }
 * </pre>
 *
 * @param mbuffer       put {@code mbuffer} between {@code zfs send} and the pump when it is installed
 *                      (smooths a bursty WAN; costs throughput on a small host, see docs/benchmarks.md)
 * @param mbufferMemory mbuffer's {@code -m} (default {@code 256M})
 * @param zfsCommand    the zfs program on the target (default {@code zfs}, found on the remote PATH)
 */
public record TransferTarget(Transport transport, String host, String user, Integer port, String identityFile,
                             Boolean mbuffer, String mbufferMemory, String zfsCommand) {
    public enum Transport {
        @JsonProperty("local") LOCAL,
        @JsonProperty("ssh") SSH
    }

    public static final TransferTarget LOCAL = new TransferTarget(Transport.LOCAL, null, null, null, null, false, null,
            null);

    public TransferTarget {
        transport = transport == null ? Transport.LOCAL : transport;
        mbuffer = mbuffer != null && mbuffer;
        mbufferMemory = mbufferMemory == null ? "256M" : mbufferMemory;
        zfsCommand = zfsCommand == null ? "zfs" : zfsCommand;
        if (!mbufferMemory.matches("[0-9]{1,6}[kKmMgG%]?")) {
            throw new IllegalArgumentException("mbufferMemory \"" + mbufferMemory + "\": use a size such as 256M");
        }
        if (transport == Transport.SSH) {
            if (host == null || host.isBlank() || host.startsWith("-")) {
                throw new IllegalArgumentException("an ssh target needs a host (not starting with '-')");
            }
            if (user != null && (user.isBlank() || user.startsWith("-") || user.contains("@"))) {
                throw new IllegalArgumentException("ssh user \"" + user + "\" is not a user name");
            }
            port = port == null ? 22 : port;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("ssh port " + port + " is not between 1 and 65535");
            }
        }
    }

    public static TransferTarget ssh(String host, String user, int port, String identityFile) {
        return new TransferTarget(Transport.SSH, host, user, port, identityFile, false, null, null);
    }

    public TransferTarget withMbuffer() {
        return new TransferTarget(transport, host, user, port, identityFile, true, mbufferMemory, zfsCommand);
    }

    /** {@code user@host} or {@code host}. */
    String destination() {
        return user == null ? host : user + "@" + host;
    }
}
