package io.zsentinel.core.messages.agentcommands;

/** What every command about a service's datasets checks on construction. */
final class ServiceChecks {
    private ServiceChecks() {
    }

    static void checkService(String service) {
        if (service == null || !service.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("a service name is 1-64 letters, digits, '.', '_' or '-', not " + service);
        }
    }

    static void checkGeneration(long generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("a generation starts at 1, not " + generation);
        }
    }
}
