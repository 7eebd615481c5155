package io.zsentinel.deploy.transfer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsBinaries;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agent's start-up line about how transfers move their bytes: said once per process, in an operator's words. */
class TransferSetupLineTest {
    @Test
    void agentsInOneProcessSayHowTransfersRunOnce() {
        Logger logger = (Logger) LoggerFactory.getLogger(TransferExecutor.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        String why = "no /dev/zfs here " + UUID.randomUUID(); // a line no other test in this JVM has said
        try {
            for (String server : List.of("primary", "standby", "offsite")) { // the lab's three agents
                new TransferExecutor(new ServerId(server), null, ZfsBinaries.defaults(), Map.of(),
                        TransferSettings.DEFAULTS, fact -> { }, Clock.systemUTC(), SendProgress.unknown(why)).close();
            }
        } finally {
            logger.detachAppender(lines);
        }
        List<String> said = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("transfers")).toList();
        assertEquals(List.of(TransferRun.describeSetup(TransferSettings.Pipe.AUTO, SendProgress.unknown(why),
                TransferExecutor.onPath("pv"))), said);
    }

    @Test
    void theLineSaysWhatRunsWithoutAndWithABandwidthLimitInEachSetting() {
        SendProgress fuse = SendProgress.unknown("no /dev/zfs (zfs-fuse: its daemon writes the stream, not zfs send)");
        SendProgress kernel = SendProgress.counting();
        assertEquals("transfers: zfs send | pv | zfs receive (pv counts the stream, progress every 0.5 s; zfs send's "
                + "own bytes do not count it: no /dev/zfs (zfs-fuse: its daemon writes the stream, not zfs send)); "
                + "with a bandwidth limit: zfs send | pv -L | zfs receive",
                TransferRun.describeSetup(TransferSettings.Pipe.AUTO, fuse, true), "the lab on zfs-fuse");
        assertEquals("transfers: zfs send | zfs receive (kernel pipe; progress from the bytes zfs send writes); "
                + "with a bandwidth limit: zfs send | pv -L | zfs receive (pv counts and limits the stream, "
                + "progress every 0.5 s)", TransferRun.describeSetup(TransferSettings.Pipe.AUTO, kernel, true));
        assertEquals("transfers: zfs send → agent → zfs receive (the agent copies and counts the stream; pv not found, "
                + "install it to keep the stream out of the agent; no /dev/zfs (zfs-fuse: its daemon writes the stream, "
                + "not zfs send)); with a bandwidth limit: the same, and the agent limits it",
                TransferRun.describeSetup(TransferSettings.Pipe.AUTO, fuse, false));
        assertEquals("transfers: zfs send → agent → zfs receive (the agent copies and counts the stream; pipe: never); "
                + "with a bandwidth limit: the same, and the agent limits it",
                TransferRun.describeSetup(TransferSettings.Pipe.NEVER, kernel, true));
        assertEquals("transfers: zfs send | zfs receive (kernel pipe; no progress: no /dev/zfs (zfs-fuse: its daemon "
                + "writes the stream, not zfs send)); with a bandwidth limit: zfs send → agent → zfs receive (the agent "
                + "copies, counts and limits the stream)", TransferRun.describeSetup(TransferSettings.Pipe.ALWAYS, fuse, true));
    }
}
