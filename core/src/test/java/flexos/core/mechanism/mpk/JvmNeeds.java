package flexos.core.mechanism.mpk;

import flexos.core.mechanism.mpk.cpu.PkruRegister;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the JVM does on a thread whose PKRU holds only key 0 and its compartment's key: if any of it touched memory
 * under another key, the JVM would stop with a protection-key fault instead of returning. Each step names the
 * JVM machinery it drives on this thread: the allocator and the collector, class loading and linking, both
 * compilers and deoptimization, implicit null checks and stack banging (both go through SIGSEGV handlers, which
 * Linux runs with key 0 only), monitors, thread start, safepoints, direct buffers, and the compartment's own heap.
 */
final class JvmNeeds implements MpkTestLibraries.JvmWork {

    record Point(int x, int y) {
    }

    private final MemorySegment heap;
    private Object maybeNull = "x";

    JvmNeeds(MemorySegment heap) {
        this.heap = heap;
    }

    @Override
    public String work() {
        int pkru = PkruRegister.read();
        List<String> done = new ArrayList<>();

        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            byte[] block = new byte[16 << 10];
            if (i % 16 == 0) {
                kept.add(block);
            }
        }
        System.gc();
        done.add("allocated 64 MiB and collected (" + kept.size() + " blocks kept)");

        ConcurrentSkipListMap<String, Point> map = new ConcurrentSkipListMap<>();
        Runnable lambda = () -> map.put("p" + map.size(), new Point(map.size(), 2));
        lambda.run();
        String described = switch (map.firstEntry().getValue().toString()) {
            case "Point[x=0, y=2]" -> "record, lambda, string switch";
            default -> "unexpected " + map;
        };
        done.add("loaded and linked classes: " + described);

        long sum = 0;
        for (int i = 0; i < 300_000; i++) {
            sum += hot(i);
        }
        done.add("compiled a hot method (" + sum + ")");

        int npes = 0;
        for (int i = 0; i < 200_000; i++) {
            try {
                length(i % 50_000 == 49_999 ? null : maybeNull);
            } catch (NullPointerException e) {
                npes++;
            }
        }
        done.add("null pointer exceptions from compiled code (" + (npes == 4) + ")");

        try {
            recurse(0);
            done.add("no stack overflow?");
        } catch (StackOverflowError e) {
            done.add("a stack overflow caught");
        }

        StackTraceElement[] trace = new Throwable().getStackTrace();
        done.add("walked the stack (" + (trace.length > 0) + ")");

        try {
            Object handle = MethodHandles.lookup().findVirtual(String.class, "length", MethodType.methodType(int.class));
            done.add("reflection and method handles (" + String.class.getMethod("length").invoke("four") + ", "
                    + (handle != null) + ")");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }

        AtomicLong fromThread = new AtomicLong();
        Object monitor = new Object();
        Thread thread = new Thread(() -> {
            synchronized (monitor) {
                fromThread.set(PkruRegister.read());
            }
        });
        synchronized (monitor) {
            thread.start();
            sleep(20);
        }
        join(thread);
        done.add("a contended monitor and a thread (" + (fromThread.get() == (pkru & 0xffffffffL)) + ")");

        ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20);
        direct.putLong(0, 42);
        done.add("a direct buffer (" + direct.getLong(0) + ")");

        heap.set(ValueLayout.JAVA_LONG, 4096, 0x1234);
        done.add("its own heap (" + Long.toHexString(heap.get(ValueLayout.JAVA_LONG, 4096)) + ")");

        done.add("PKRU unchanged: " + (PkruRegister.read() == pkru));
        return String.join("; ", done);
    }

    private static long hot(int i) {
        return (i * 31L) ^ (i >>> 3);
    }

    private static int length(Object o) {
        return o.hashCode() & 1;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
