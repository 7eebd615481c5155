package io.zsentinel.core.zfs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZfsErrorKindTest {

    @Test
    void classifiesWhatZfsFuseAndOpenzfsPrint() {
        assertEquals(ZfsErrorKind.BUSY, ZfsErrorKind.classify("cannot destroy 'ztcapx@r1': dataset is busy\n"));
        assertEquals(ZfsErrorKind.BUSY, ZfsErrorKind.classify("cannot destroy 'ztcapm': pool is busy\n"));
        assertEquals(ZfsErrorKind.DATASET_MISSING,
                ZfsErrorKind.classify("cannot open 'ztcapx/nope': dataset does not exist\n"));
        assertEquals(ZfsErrorKind.DATASET_MISSING, ZfsErrorKind.classify("cannot open 'nopool': no such pool\n"));
        assertEquals(ZfsErrorKind.DATASET_MISSING, ZfsErrorKind.classify("could not find any snapshots to destroy; check snapshot names.\n"));
        assertEquals(ZfsErrorKind.ALREADY_EXISTS,
                ZfsErrorKind.classify("cannot create snapshot 'ztcapx/a@s1': dataset already exists\n"));
        assertEquals(ZfsErrorKind.NO_SPACE, ZfsErrorKind.classify("cannot receive new filesystem stream: out of space\n"));
        assertEquals(ZfsErrorKind.PERMISSION, ZfsErrorKind.classify("cannot create 'tank/x': permission denied\n"));
        assertEquals(ZfsErrorKind.UNSUPPORTED, ZfsErrorKind.classify("invalid option 'p'\nusage:\n\tlist [-rH] ..."));
        assertEquals(ZfsErrorKind.UNSUPPORTED, ZfsErrorKind.classify("unrecognized command 'bookmark'\nusage: zfs command args ..."));
        assertEquals(ZfsErrorKind.UNSUPPORTED, ZfsErrorKind.classify("internal error: /usr/lib/zfs/pyzfs.py not found\n"));
        assertEquals(ZfsErrorKind.UNSUPPORTED,
                ZfsErrorKind.classify("bad property list: invalid property 'receive_resume_token'\nusage:\n"));
        assertEquals(ZfsErrorKind.UNKNOWN, ZfsErrorKind.classify("cannot offline /x/a.img: no valid replicas\n"));
        assertEquals(ZfsErrorKind.UNKNOWN, ZfsErrorKind.classify(""));
    }

    @Test
    void usageTextAfterTheErrorDoesNotDecideTheKind() {
        String stderr = "invalid option 't'\nusage:\n\tget [-rHp] ...\n\tdataset is busy insufficient\n";
        assertEquals(ZfsErrorKind.UNSUPPORTED, ZfsErrorKind.classify(stderr));
    }

    @Test
    void onlyBusyAndTimeoutAreRetriable() {
        for (ZfsErrorKind kind : ZfsErrorKind.values()) {
            assertEquals(kind == ZfsErrorKind.BUSY || kind == ZfsErrorKind.TIMEOUT, kind.retriable(), kind.name());
        }
    }

    @Test
    void messageTellsWhatWhereAndWhatToDo() {
        CommandResult result = new CommandResult(List.of("zfs", "destroy", "tank/vm 1@s1"), 1, "",
                "cannot destroy 'tank/vm 1@s1': dataset is busy\n", false, java.time.Duration.ZERO);
        ZfsException e = ZfsException.of("destroy snapshot", "tank/vm 1@s1", result);
        assertEquals(ZfsErrorKind.BUSY, e.kind());
        assertTrue(e.retriable());
        assertTrue(e.getMessage().startsWith("could not destroy snapshot 'tank/vm 1@s1': cannot destroy"), e.getMessage());
        assertTrue(e.getMessage().contains("Retriable: something still uses it"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Command: 'zfs' 'destroy' 'tank/vm 1@s1'"), e.getMessage());
        assertEquals(List.of("zfs", "destroy", "tank/vm 1@s1"), e.command());
    }

    @Test
    void timeoutIsItsOwnKind() {
        CommandResult result = new CommandResult(List.of("zpool", "status", "tank"), -1, "", "", true,
                java.time.Duration.ofSeconds(120));
        ZfsException e = ZfsException.of("read the status of pool", "tank", result);
        assertEquals(ZfsErrorKind.TIMEOUT, e.kind());
        assertFalse(e.getMessage().contains("exit -1"));
    }
}
