package io.zsentinel.deploy.replication;

import org.axonframework.commandhandling.gateway.CommandGateway;

import java.lang.reflect.Proxy;
import java.util.List;

/** A command gateway that accepts every {@code sendAndWait} (answering null) and keeps what was sent, in order. */
final class RecordingGateway {
    private RecordingGateway() {
    }

    static CommandGateway into(List<Object> sent) {
        return (CommandGateway) Proxy.newProxyInstance(RecordingGateway.class.getClassLoader(),
                new Class<?>[]{CommandGateway.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        sent.add(args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
