package io.zsentinel.deploy.controller;

import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.facts.AgentHeartbeat;
import io.zsentinel.core.messages.facts.SnapshotInventoryReported;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.failover.api.RecordHeartbeat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static io.zsentinel.deploy.controller.AgentEventHandlerTest.AT;
import static io.zsentinel.deploy.controller.AgentEventHandlerTest.CODEC;
import static io.zsentinel.deploy.controller.AgentEventHandlerTest.PRIMARY;
import static io.zsentinel.deploy.controller.AgentEventHandlerTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The liveness path takes heartbeats and pool conditions, passes over the rest and never dead-letters. */
class LivenessHandlerTest {
    final List<Object> sent = new ArrayList<>();
    final LivenessHandler handler = new LivenessHandler(CODEC, CoreMessages.types(), new AgentEventHandler(CODEC,
            new FactRouter(new AgentEventHandlerTest.NoLiveFacts(), FactRouter.Path.LIVENESS),
            (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                    (proxy, method, args) -> {
                        sent.add(args[0]);
                        return null;
                    })));

    @Test
    void aHeartbeatIsTakenAndEverythingElseIsPassedOverWithoutAnError() {
        handler.handle(new ConsumerRecord<>("zsentinel.agent-events", 0, 0, "primary", "not json at all"));
        handler.handle(record("primary", new SnapshotInventoryReported(PRIMARY, DatasetName.of("tank/vm1"), List.of(), AT)));
        handler.handle(record("standby", new AgentHeartbeat(PRIMARY, 3, AT))); // forged: the ordered path dead-letters it
        assertEquals(List.of(), sent);

        handler.handle(record("primary", new AgentHeartbeat(PRIMARY, 3, AT)));
        assertEquals(List.of(new RecordHeartbeat(PRIMARY, 3, AT)), sent);
    }
}
