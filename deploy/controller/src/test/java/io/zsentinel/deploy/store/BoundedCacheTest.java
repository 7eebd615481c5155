package io.zsentinel.deploy.store;

import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedCacheTest {

    @Test
    void keepsTheMostRecentlyUsedEntriesAndEvictsTheLeastRecentlyUsed() {
        BoundedCache cache = new BoundedCache(3);
        List<Object> expired = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                expired.add(key);
            }
        });
        cache.put("a", 1);
        cache.put("b", 2);
        cache.put("c", 3);
        assertEquals(Integer.valueOf(1), cache.get("a")); // "a" is now the most recently used
        cache.put("d", 4);

        assertEquals(List.of("b"), expired);
        assertEquals(3, cache.size());
        assertNull(cache.get("b"));
        assertTrue(cache.containsKey("a"));
        assertTrue(cache.containsKey("c"));
        assertTrue(cache.containsKey("d"));
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        BoundedCache cache = new BoundedCache(100);
        for (int i = 0; i < 10_000; i++) {
            cache.put("aggregate-" + i, i);
        }
        assertEquals(100, cache.size());
        assertTrue(cache.containsKey("aggregate-9999"));
        assertFalse(cache.containsKey("aggregate-0"));
    }

    @Test
    void putIfAbsentComputeAndRemoveBehaveAsAxonExpects() {
        BoundedCache cache = new BoundedCache(10);
        assertTrue(cache.putIfAbsent("a", 1));
        assertFalse(cache.putIfAbsent("a", 2));
        assertEquals(Integer.valueOf(1), cache.computeIfAbsent("a", () -> 3));
        assertEquals(Integer.valueOf(4), cache.computeIfAbsent("b", () -> 4));
        cache.<Integer>computeIfPresent("b", v -> v + 1);
        assertEquals(Integer.valueOf(5), cache.get("b"));
        assertTrue(cache.remove("a"));
        assertFalse(cache.remove("a"));
        cache.removeAll();
        assertEquals(0, cache.size());
    }

    @Test
    void refusesAUselessCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedCache(0));
    }
}
