package io.zsentinel.core.messages;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of message types an {@link EnvelopeCodec} reads and writes: a stable wire name and
 * the schema version this build writes (and the newest it reads) per record class.
 */
public final class MessageTypes {
    public record Type(String name, int version, Class<? extends Message> javaType) {
    }

    private final Map<String, Type> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, Type> byClass = new ConcurrentHashMap<>();

    /** Registers {@code javaType} under its simple class name. */
    public MessageTypes register(Class<? extends Message> javaType, int version) {
        return register(javaType.getSimpleName(), javaType, version);
    }

    public MessageTypes register(String name, Class<? extends Message> javaType, int version) {
        Type type = new Type(name, version, javaType);
        Type previous = byName.putIfAbsent(name, type);
        if (previous != null && previous.javaType() != javaType) {
            throw new IllegalStateException("message type " + name + " registered twice: "
                    + previous.javaType().getName() + " and " + javaType.getName());
        }
        byClass.put(javaType, type);
        return this;
    }

    public MessageTypes registerAll(MessageTypes other) {
        other.byName.values().forEach(t -> register(t.name(), t.javaType(), t.version()));
        return this;
    }

    public Optional<Type> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Type of(Class<?> javaType) {
        Type type = byClass.get(javaType);
        if (type == null) {
            throw new IllegalArgumentException("message class " + javaType.getName() + " is not registered");
        }
        return type;
    }
}
