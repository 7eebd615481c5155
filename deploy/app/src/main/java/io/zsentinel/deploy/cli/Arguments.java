package io.zsentinel.deploy.cli;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.replication.api.link.LinkId;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's words as value types: each is checked by the value type itself, and a word it refuses is a
 * usage error naming the argument and saying why ({@code Invalid value for option '--dataset': invalid dataset
 * name "a b": ...}).
 */
final class Arguments {
    private Arguments() {
    }

    /** Every option and parameter typed as a value type, in every command of {@code commandLine}, reads through these. */
    static void register(CommandLine commandLine) {
        commandLine.registerConverter(DatasetName.class, text -> checked(() -> new DatasetName(text)));
        commandLine.registerConverter(ServerId.class, text -> checked(() -> new ServerId(text)));
        commandLine.registerConverter(SnapshotName.class, Arguments::snapshot);
        commandLine.registerConverter(LinkId.class, Arguments::link);
    }

    private static SnapshotName snapshot(String text) {
        if (text.indexOf('@') < 0) {
            throw new TypeConversionException("\"" + text + "\" is no snapshot: give <dataset>@<snapshot>, e.g. primary/vm1@daily-1");
        }
        return checked(() -> SnapshotName.parse(text));
    }

    private static LinkId link(String text) {
        try {
            return LinkId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage() + " (quote it in a shell: '>' redirects)");
        }
    }

    /** A checkpoint's target: a dataset, or a server's id (which one is asked of the controller). */
    static final class Target implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.contains("/")) {
                return checked(() -> new DatasetName(text)).value();
            }
            try {
                return new ServerId(text).value();
            } catch (IllegalArgumentException notAServer) {
                return checked(() -> new DatasetName(text)).value();
            }
        }
    }

    /** {@code --reason}: the audit log records why, so it says something. */
    static final class Reason implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.isBlank()) {
                throw new TypeConversionException("it is blank; say why: the audit log records it");
            }
            return text;
        }
    }

    private static <T> T checked(java.util.function.Supplier<T> valueType) {
        try {
            return valueType.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
