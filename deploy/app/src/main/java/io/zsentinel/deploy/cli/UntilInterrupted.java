package io.zsentinel.deploy.cli;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/** What the lab, the controller and the agent share: start, then wait for Ctrl-C (SIGINT/SIGTERM) and stop before the JVM exits. */
final class UntilInterrupted {
    @FunctionalInterface
    interface Starter {
        AutoCloseable start() throws Exception;
    }

    private UntilInterrupted() {
    }

    static void run(Starter starter, PrintStream out, PrintStream err) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Deque<AutoCloseable> running = new ArrayDeque<>();
        Thread hook = new Thread(() -> {
            AutoCloseable r = running.peek();
            if (r != null) {
                out.println("zsentinel: stopping ...");
                try {
                    r.close();
                } catch (Exception e) {
                    err.println("zsentinel: while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "zsentinel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            running.push(starter.start());
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        stopped.await();
    }
}
