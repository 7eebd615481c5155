package io.zsentinel.deploy.transfer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pump's bandwidth limit on a clock the test moves. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void startsEmptySoTheAverageHoldsFromTheFirstByte() {
        TokenBucket bucket = new TokenBucket(1000, now::get);
        assertEquals(SECOND / 2, bucket.reserve(500));
        now.addAndGet(SECOND / 2);
        assertEquals(SECOND / 2, bucket.reserve(500), "the first 500 were paid by the wait, the next 500 need another");
    }

    @Test
    void aSustainedStreamIsHeldToTheRate() {
        TokenBucket bucket = new TokenBucket(1 << 20, now::get); // 1 MiB/s
        long waited = 0;
        for (int i = 0; i < 64; i++) { // 64 chunks of 256 KiB = 16 MiB
            long wait = bucket.reserve(256 << 10);
            now.addAndGet(wait);
            waited += wait;
        }
        assertEquals(16 * SECOND, waited, SECOND / 1000);
    }

    @Test
    void idleTimeBuysAtMostOneSecondOfBurst() {
        TokenBucket bucket = new TokenBucket(1000, now::get);
        now.addAndGet(10 * SECOND);
        assertEquals(0, bucket.reserve(1000), "one second of tokens accrued");
        assertEquals(SECOND / 2, bucket.reserve(500), "but no more than one second's worth");
    }

    @Test
    void aChunkLargerThanTheBurstWaitsOffItsDebt() {
        TokenBucket bucket = new TokenBucket(1000, now::get);
        now.addAndGet(SECOND);
        assertEquals(3 * SECOND, bucket.reserve(4000));
        now.addAndGet(3 * SECOND);
        assertEquals(0, bucket.reserve(0));
    }

    @Test
    void chunksAreAQuarterSecondAtLowRates() {
        assertEquals(256 << 10, new TokenBucket(1 << 20, now::get).chunkLimit(1 << 20));
        assertEquals(1 << 20, new TokenBucket(100L << 20, now::get).chunkLimit(1 << 20));
        assertEquals(4096, new TokenBucket(100, now::get).chunkLimit(1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, now::get));
    }
}
