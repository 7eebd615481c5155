package io.zsentinel.replication.api;

/** How strongly a holder protects a snapshot; see {@link ProtectSnapshot}. */
public enum ProtectionKind {
    BASE, AWAITING
}
