package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Resources hoarded: the attacker takes all there is of something the image needs, keeps it, and returns normally,
 * having caught the error that told it there was no more.
 */
public final class Resources {

    private Resources() {
    }

    /** An upper bound on every hoarding loop, in items and time, so that a machine with no limit ends too. */
    private static final int MAX_ITEMS = 1 << 20;
    private static final long MAX_NANOS = 20_000_000_000L;

    /** Opens {@code /dev/null} until the process has no descriptor left, and keeps them open. */
    public static final class HoardFds extends HostileLibrary {
        private static final List<FileInputStream> HOARD = new ArrayList<>();

        public HoardFds() {
            super("hoard-fds");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            long end = System.nanoTime() + MAX_NANOS;
            try {
                for (int i = 0; i < MAX_ITEMS && System.nanoTime() < end; i++) {
                    HOARD.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException e) {
                // Too many open files: all of them are ours now.
            }
            return HOARD.size();
        }
    }

    /** Allocates direct buffers until direct memory is exhausted, and keeps them. */
    public static final class HoardDirect extends HostileLibrary {
        private static final List<ByteBuffer> HOARD = new ArrayList<>();

        public HoardDirect() {
            super("hoard-direct");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            long end = System.nanoTime() + MAX_NANOS;
            try {
                for (int i = 0; i < MAX_ITEMS && System.nanoTime() < end; i++) {
                    HOARD.add(ByteBuffer.allocateDirect(1 << 20));
                }
            } catch (OutOfMemoryError e) {
                // Direct memory exhausted: keep what was taken.
            }
            return HOARD.size();
        }
    }

    /** Allocates heap until the JVM's heap is exhausted, catches the error, keeps it all, and returns. */
    public static final class HoardHeap extends HostileLibrary {
        private static final List<long[]> HOARD = new ArrayList<>();

        public HoardHeap() {
            super("hoard-heap");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            long end = System.nanoTime() + MAX_NANOS;
            try {
                for (int i = 0; i < MAX_ITEMS && System.nanoTime() < end; i++) {
                    HOARD.add(new long[1 << 17]);
                }
            } catch (OutOfMemoryError e) {
                // Heap exhausted: keep what was taken, and carry on as if nothing happened.
            }
            return HOARD.size();
        }
    }
}
