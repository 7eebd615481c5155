package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.facts.AgentFact;
import io.zsentinel.core.messages.facts.TransferCompleted;
import io.zsentinel.core.messages.facts.TransferFailed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** What the transfer tests on real pools share: waiting for an outcome, and data that does not compress. */
final class TransferTesting {
    private TransferTesting() {
    }

    /** The transfer's completion, within {@code wait}; a failure fails the test with its reason. */
    static TransferCompleted completed(TransferHandle handle, Duration wait) {
        AgentFact fact = handle.outcome().orTimeout(wait.toSeconds(), TimeUnit.SECONDS).join();
        if (fact instanceof TransferFailed f) {
            throw new AssertionError("transfer failed: " + f.reason());
        }
        return assertInstanceOf(TransferCompleted.class, fact);
    }

    /** The transfer's failure, within {@code wait}. */
    static TransferFailed failed(TransferHandle handle, Duration wait) {
        AgentFact fact = handle.outcome().orTimeout(wait.toSeconds(), TimeUnit.SECONDS).join();
        return assertInstanceOf(TransferFailed.class, fact, String.valueOf(fact));
    }

    /** {@code bytes} from a seeded PRNG into {@code file}, so stream sizes are what they say. */
    static void writeIncompressible(Path file, int bytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int done = 0; done < bytes; done += block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                out.write(block, 0, Math.min(block.length, bytes - done));
            }
        }
    }
}
