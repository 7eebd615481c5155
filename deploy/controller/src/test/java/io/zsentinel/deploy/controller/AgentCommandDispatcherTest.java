package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.agentcommands.ForgetLink;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkRetired;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class AgentCommandDispatcherTest {
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("tank/vm1"));
    static final LinkId LINK = new LinkId(SOURCE, new DatasetId(ServerId.of("standby"), DatasetName.of("backup/vm1")));

    @Test
    void aRetiredLinksCursorsAreForgottenOnTheSourceServerOncePerEvent() {
        List<String[]> sent = new ArrayList<>();
        AgentCommandDispatcher dispatcher = new AgentCommandDispatcher((key, json) -> sent.add(new String[]{key, json}), 7);
        GenericEventMessage<LinkRetired> event = new GenericEventMessage<>(
                new LinkRetired(LINK, SOURCE, new Guid(5), "rule removed", Instant.parse("2026-11-25T10:00:00Z")));
        dispatcher.on(event.getPayload(), event);
        dispatcher.on(event.getPayload(), event); // redelivered

        assertEquals(2, sent.size());
        assertEquals("primary", sent.get(0)[0], "keyed by the source server");
        ForgetLink forget = assertInstanceOf(ForgetLink.class,
                new EnvelopeCodec(CoreMessages.types()).decode(sent.get(0)[1]).payload());
        assertEquals(new ForgetLink(forget.commandId(), ServerId.of("primary"), 7, DatasetName.of("tank/vm1"),
                LINK.toString()), forget);
        assertEquals(forget, new EnvelopeCodec(CoreMessages.types()).decode(sent.get(1)[1]).payload(),
                "the same command id: the agent carries it out once");
    }
}
