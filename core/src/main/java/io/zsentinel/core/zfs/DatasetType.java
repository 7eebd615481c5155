package io.zsentinel.core.zfs;

import java.util.Locale;

/** The dataset types zsentinel manages (snapshots are listed separately). */
public enum DatasetType {
    FILESYSTEM, VOLUME;

    static DatasetType parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
