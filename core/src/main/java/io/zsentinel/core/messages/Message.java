package io.zsentinel.core.messages;

/** Anything that travels in an {@link Envelope}: agent facts, agent commands, domain events. */
public interface Message {
}
