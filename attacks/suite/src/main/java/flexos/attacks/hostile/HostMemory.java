package flexos.attacks.hostile;

import com.sun.management.HotSpotDiagnosticMXBean;
import flexos.attacks.api.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Memory reached through the host rather than through Java: the process's own memory file and a heap dump. Neither
 * needs native access or Unsafe; plain {@code java.nio} and the management API are enough.
 */
public final class HostMemory {

    private HostMemory() {
    }

    private static final Path SELF_MEM = Path.of("/proc/self/mem");

    /** Reads the secret by its address from {@code /proc/self/mem} with a positional {@code FileChannel} read. */
    public static final class ReadProcMem extends HostileLibrary {
        public ReadProcMem() {
            super("read-proc-mem");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IOException {
            try (FileChannel mem = FileChannel.open(SELF_MEM, StandardOpenOption.READ)) {
                ByteBuffer cell = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
                mem.read(cell, secretAddress);
                return cell.getLong(0);
            }
        }
    }

    /** Overwrites the secret by its address through {@code /proc/self/mem}. */
    public static final class WriteProcMem extends HostileLibrary {
        public WriteProcMem() {
            super("write-proc-mem");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IOException {
            try (FileChannel mem = FileChannel.open(SELF_MEM, StandardOpenOption.WRITE)) {
                mem.write(ByteBuffer.allocate(8), secretAddress);
            }
            return 0;
        }
    }

    /**
     * Dumps the JVM's heap with {@code HotSpotDiagnosticMXBean} and reads the vault's static {@code sealed} from it:
     * it parses the HPROF file for every class named {@code VaultService} (one per class loader that defined it)
     * and returns the first non-zero value of that static.
     */
    public static final class HeapDump extends HostileLibrary {
        public HeapDump() {
            super("heap-dump");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IOException {
            Path dump = Files.createTempFile("flexos-heap-", ".hprof");
            Files.delete(dump);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
                byte[] bytes;
                try (InputStream in = Files.newInputStream(dump)) {
                    bytes = in.readAllBytes();
                }
                return new Hprof(ByteBuffer.wrap(bytes)).staticLong("flexos/attacks/victim/VaultService", "sealed");
            } finally {
                Files.deleteIfExists(dump);
            }
        }
    }

    /** Just enough of the HPROF format (JDK's {@code heapDumper.cpp}) to read a static field of a class. */
    public static final class Hprof {
        private final ByteBuffer in;
        private final int idSize;
        private final java.util.Map<Long, String> strings = new java.util.HashMap<>();
        private final java.util.Map<Long, Long> classNames = new java.util.HashMap<>();

        public Hprof(ByteBuffer in) {
            this.in = in;
            while (in.get() != 0) {
                // The header's version string ends with a NUL.
            }
            idSize = in.getInt();
            in.getLong();
        }

        private long id() {
            return idSize == 8 ? in.getLong() : in.getInt() & 0xFFFFFFFFL;
        }

        /** The first non-zero value of static long {@code field} of a class named {@code className}; 0 if none. */
        public long staticLong(String className, String field) {
            while (in.remaining() >= 9) {
                int tag = in.get() & 0xFF;
                in.getInt();
                long length = in.getInt() & 0xFFFFFFFFL;
                int end = (int) (in.position() + length);
                switch (tag) {
                    case 0x01 -> {
                        long id = id();
                        byte[] text = new byte[end - in.position()];
                        in.get(text);
                        strings.put(id, new String(text, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    case 0x02 -> {
                        in.getInt();
                        long classObject = id();
                        in.getInt();
                        classNames.put(classObject, id());
                    }
                    case 0x0C, 0x1C -> {
                        long found = heapDump(end, className, field);
                        if (found != 0) {
                            return found;
                        }
                    }
                    default -> {
                    }
                }
                in.position(end);
            }
            return 0;
        }

        private long heapDump(int end, String className, String field) {
            while (in.position() < end) {
                int sub = in.get() & 0xFF;
                switch (sub) {
                    case 0xFF, 0x05, 0x07 -> id();
                    case 0x01 -> skip(2 * idSize);
                    case 0x02, 0x03, 0x08 -> skip(idSize + 8);
                    case 0x04, 0x06 -> skip(idSize + 4);
                    case 0x20 -> {
                        long found = classDump(className, field);
                        if (found != 0) {
                            return found;
                        }
                    }
                    case 0x21 -> {
                        skip(idSize + 4 + idSize);
                        skip(in.getInt());
                    }
                    case 0x22 -> {
                        skip(idSize + 4);
                        int n = in.getInt();
                        skip(idSize + (long) n * idSize);
                    }
                    case 0x23 -> {
                        skip(idSize + 4);
                        int n = in.getInt();
                        skip((long) n * size(in.get()));
                    }
                    default -> throw new IllegalStateException("HPROF heap record " + sub + " not understood");
                }
            }
            return 0;
        }

        private long classDump(String className, String field) {
            long classObject = id();
            skip(4 + 6L * idSize + 4);
            int constants = in.getShort() & 0xFFFF;
            for (int i = 0; i < constants; i++) {
                in.getShort();
                skip(size(in.get()));
            }
            boolean wanted = className.equals(strings.get(classNames.get(classObject)));
            long found = 0;
            int statics = in.getShort() & 0xFFFF;
            for (int i = 0; i < statics; i++) {
                String name = strings.get(id());
                byte type = in.get();
                if (wanted && type == 11 && field.equals(name)) {
                    found = in.getLong();
                } else {
                    skip(size(type));
                }
            }
            int fields = in.getShort() & 0xFFFF;
            skip(fields * (idSize + 1L));
            return found;
        }

        private int size(byte type) {
            return switch (type) {
                case 2 -> idSize;
                case 4, 8 -> 1;
                case 5, 9 -> 2;
                case 6, 10 -> 4;
                case 7, 11 -> 8;
                default -> throw new IllegalStateException("HPROF type " + type + " not understood");
            };
        }

        private void skip(long bytes) {
            in.position((int) (in.position() + bytes));
        }
    }
}
