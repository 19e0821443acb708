package flexos.core.mechanism.mpk.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The C library functions the {@code mpk} mechanism needs, called through FFM: glibc's protection-key functions
 * ({@code pkey_alloc}, {@code pkey_free}, {@code pkey_mprotect}, {@code pkey_get}) and {@code mmap},
 * {@code munmap}, {@code mprotect} for pages of its own. Every call that can fail captures {@code errno}, so a
 * failure says why ({@link SystemCallException}).
 *
 * <p>This package is not exported: only {@code flexos.core}'s mpk mechanism uses it (and benchmarks, which run on the
 * class path). Loading this class needs only the symbols, not protection keys: {@link #missingSymbol()} says whether the C
 * library lacks one, so that detection can refuse instead of failing to link.
 */
public final class PkeyCalls {

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int PKEY_DISABLE_ACCESS = 1;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final long MAP_FAILED = -1L;
    public static final long PAGE = 4096;

    private static final String[] SYMBOLS = {"pkey_alloc", "pkey_free", "pkey_mprotect", "pkey_get", "mmap",
        "munmap", "mprotect", "strerror"};
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle PKEY_ALLOC = handle("pkey_alloc", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PKEY_FREE = handle("pkey_free", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PKEY_MPROTECT = handle("pkey_mprotect", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PKEY_GET = handle("pkey_get", false,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle MMAP = handle("mmap", true,
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = handle("munmap", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MPROTECT = handle("mprotect", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = handle("strerror", false,
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** A C library call that failed, with its {@code errno}. */
    public static final class SystemCallException extends RuntimeException {
        private final int errno;

        SystemCallException(String call, int errno) {
            super(call + " failed: " + describe(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static final int ENOSPC = 28;

    private PkeyCalls() {
    }

    /** The first function this class needs that the C library does not have, if any. */
    public static Optional<String> missingSymbol() {
        for (String symbol : SYMBOLS) {
            if (LIBC.find(symbol).isEmpty()) {
                return Optional.of(symbol);
            }
        }
        return Optional.empty();
    }

    private static MethodHandle handle(String name, boolean errno, FunctionDescriptor descriptor) {
        Optional<MemorySegment> symbol = LIBC.find(name);
        if (symbol.isEmpty()) {
            return null;
        }
        return errno ? LINKER.downcallHandle(symbol.get(), descriptor, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(symbol.get(), descriptor);
    }

    private static MethodHandle linked(MethodHandle handle, String name) {
        if (handle == null) {
            throw new UnsupportedOperationException("the C library has no " + name);
        }
        return handle;
    }

    /**
     * A new protection key, whose access the calling thread gets as {@code rights} ({@code 0}, or
     * {@link #PKEY_DISABLE_ACCESS}); other threads keep the rights their PKRU gives it.
     */
    public static int pkeyAlloc(int rights) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int key = (int) linked(PKEY_ALLOC, "pkey_alloc").invokeExact(state, 0, rights);
            if (key < 0) {
                throw new SystemCallException("pkey_alloc", (int) ERRNO.get(state, 0L));
            }
            return key;
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("pkey_alloc", e);
        }
    }

    public static void pkeyFree(int key) {
        check("pkey_free", state -> (int) linked(PKEY_FREE, "pkey_free").invokeExact(state, key));
    }

    /** Tags the pages of {@code [address, address + bytes)} with {@code key}, with protection {@code prot}. */
    public static void pkeyMprotect(long address, long bytes, int prot, int key) {
        check("pkey_mprotect", state -> (int) linked(PKEY_MPROTECT, "pkey_mprotect")
                .invokeExact(state, address, bytes, prot, key));
    }

    /** The calling thread's rights on {@code key}: 0, or a mix of {@code PKEY_DISABLE_ACCESS} and write-disable. */
    public static int pkeyGet(int key) {
        try {
            return (int) linked(PKEY_GET, "pkey_get").invokeExact(key);
        } catch (Throwable e) {
            throw new IllegalStateException("pkey_get", e);
        }
    }

    /** Fresh zeroed private anonymous pages, readable and writable, reserved lazily. */
    public static long mapAnonymous(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long address = (long) linked(MMAP, "mmap").invokeExact(state, 0L, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (address == MAP_FAILED) {
                throw new SystemCallException("mmap of " + bytes + " bytes", (int) ERRNO.get(state, 0L));
            }
            return address;
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mmap", e);
        }
    }

    public static void unmap(long address, long bytes) {
        check("munmap", state -> (int) linked(MUNMAP, "munmap").invokeExact(state, address, bytes));
    }

    public static void mprotect(long address, long bytes, int prot) {
        check("mprotect", state -> (int) linked(MPROTECT, "mprotect").invokeExact(state, address, bytes, prot));
    }

    /** {@code bytes} rounded up to whole pages. */
    public static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    private interface Call {
        int invoke(MemorySegment state) throws Throwable;
    }

    private static void check(String name, Call call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            if (call.invoke(state) != 0) {
                throw new SystemCallException(name, (int) ERRNO.get(state, 0L));
            }
        } catch (SystemCallException | UnsupportedOperationException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static String describe(int errno) {
        if (STRERROR == null) {
            return "error " + errno;
        }
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "error " + errno;
        }
    }
}
