package io.zsentinel.replication.dataset;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Read-only views of collections nobody writes any more: {@link DatasetState} keeps them as they are
 * instead of copying them again. Only {@link DatasetEvolution} makes them, from collections it
 * copies before its next write (copy on write), so a state handed out never changes under its holder.
 */
final class Frozen {
    private Frozen() {
    }

    /** {@code owned} must never be written again by anyone. */
    static <K, V> Map<K, V> map(Map<K, V> owned) {
        return owned instanceof FrozenMap<K, V> ? owned : new FrozenMap<>(owned);
    }

    /** {@code owned} must never be written again by anyone. */
    static <E> Set<E> set(Set<E> owned) {
        return owned instanceof FrozenSet<E> ? owned : new FrozenSet<>(owned);
    }

    static boolean isFrozen(Object collection) {
        return collection instanceof FrozenMap<?, ?> || collection instanceof FrozenSet<?>;
    }

    private static final class FrozenMap<K, V> extends AbstractMap<K, V> {
        private final Map<K, V> view;

        FrozenMap(Map<K, V> owned) {
            this.view = Collections.unmodifiableMap(owned);
        }

        @Override
        public V get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Set<K> keySet() {
            return view.keySet();
        }

        @Override
        public Collection<V> values() {
            return view.values();
        }

        @Override
        public void forEach(BiConsumer<? super K, ? super V> action) {
            view.forEach(action);
        }
    }

    private static final class FrozenSet<E> extends AbstractSet<E> {
        private final Set<E> view;

        FrozenSet(Set<E> owned) {
            this.view = Collections.unmodifiableSet(owned);
        }

        @Override
        public boolean contains(Object o) {
            return view.contains(o);
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public Iterator<E> iterator() {
            return view.iterator();
        }
    }
}
