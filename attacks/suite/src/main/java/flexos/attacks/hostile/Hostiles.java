package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import flexos.attacks.victim.VaultService;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile libraries of the attack suite, one per forbidden act. Each lives in a compartment of its own, apart
 * from the vault; every one is written as a compromised library would be: nothing in it knows which mechanism
 * separates it from its victim.
 */
public final class Hostiles {

    private Hostiles() {
    }

    /** Keeps the block the vault lends and reads it after the call, when the vault has put its secret there. */
    public static final class ReadKeptSegment extends HostileLibrary {
        private MemorySegment kept;

        public ReadKeptSegment() {
            super("read-kept-segment");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            vault.lend(block -> kept = block);
            return kept.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
    }

    /** Keeps the block the vault lends (by copy, under an isolating mechanism) and overwrites it after the call. */
    public static final class WriteKeptSegment extends HostileLibrary {
        private MemorySegment kept;

        public WriteKeptSegment() {
            super("write-kept-segment");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            vault.lend(block -> kept = block);
            kept.fill((byte) 0x66);
            return 0;
        }
    }

    /** Reads the secret by its raw address through native access (a restricted method). */
    public static final class ReadRawAddress extends HostileLibrary {
        public ReadRawAddress() {
            super("read-raw-address");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            return MemorySegment.ofAddress(secretAddress).reinterpret(8).get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Overwrites the secret by its raw address through native access. */
    public static final class WriteRawAddress extends HostileLibrary {
        public WriteRawAddress() {
            super("write-raw-address");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            MemorySegment.ofAddress(secretAddress).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, 0);
            return 0;
        }
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return (sun.misc.Unsafe) field.get(null);
    }

    /** Reads the secret by its raw address through {@code sun.misc.Unsafe}. */
    public static final class ReadUnsafe extends HostileLibrary {
        public ReadUnsafe() {
            super("read-unsafe");
        }

        @Override
        @SuppressWarnings("removal")
        protected long attack(Vault vault, long secretAddress) throws ReflectiveOperationException {
            return unsafe().getLong(secretAddress);
        }
    }

    /** Overwrites the secret by its raw address through {@code sun.misc.Unsafe}. */
    public static final class WriteUnsafe extends HostileLibrary {
        public WriteUnsafe() {
            super("write-unsafe");
        }

        @Override
        @SuppressWarnings("removal")
        protected long attack(Vault vault, long secretAddress) throws ReflectiveOperationException {
            unsafe().putLong(secretAddress, 0);
            return 0;
        }
    }

    /** Every segment reachable from {@code root} through fields, by deep reflection (setAccessible). */
    private static List<MemorySegment> segmentsReachableFrom(Object root) throws IllegalAccessException {
        List<MemorySegment> found = new ArrayList<>();
        List<Object> frontier = List.of(root);
        for (int depth = 0; depth < 3 && !frontier.isEmpty(); depth++) {
            List<Object> next = new ArrayList<>();
            for (Object object : frontier) {
                for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (field.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                            continue;
                        }
                        field.setAccessible(true);
                        Object value = field.get(object);
                        if (value instanceof MemorySegment segment) {
                            found.add(segment);
                        } else if (value != null) {
                            next.add(value);
                        }
                    }
                }
            }
            frontier = next;
        }
        return found;
    }

    /** Reaches into the vault object by deep reflection and reads the secret from the segments it finds. */
    public static final class ReadReflection extends HostileLibrary {
        public ReadReflection() {
            super("read-reflection");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IllegalAccessException {
            for (MemorySegment segment : segmentsReachableFrom(vault)) {
                if (segment.byteSize() >= 8 && segment.address() == secretAddress) {
                    return segment.get(ValueLayout.JAVA_LONG, 0);
                }
            }
            return 0;
        }
    }

    /** Reaches into the vault object by deep reflection and overwrites every segment it finds. */
    public static final class WriteReflection extends HostileLibrary {
        public WriteReflection() {
            super("write-reflection");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IllegalAccessException {
            for (MemorySegment segment : segmentsReachableFrom(vault)) {
                segment.fill((byte) 0);
            }
            return 0;
        }
    }

    /** Calls {@code VaultService.reset}, public Java that the vault does not export through its API. */
    public static final class CallUnexported extends HostileLibrary {
        public CallUnexported() {
            super("call-unexported");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            try {
                Method reset = vault.getClass().getMethod("reset");
                reset.invoke(vault);
            } catch (ReflectiveOperationException e) {
                throw rethrow(e);
            }
            return 0;
        }
    }

    /** Reads the vault's static state by naming it, as C code reads another library's global. */
    public static final class ReadStatic extends HostileLibrary {
        public ReadStatic() {
            super("read-static");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            return VaultService.sealed;
        }
    }

    /** Overwrites the vault's static state by naming it. */
    public static final class WriteStatic extends HostileLibrary {
        public WriteStatic() {
            super("write-static");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            VaultService.sealed = 0;
            return 0;
        }
    }

    /** Allocates until the JVM's heap is exhausted, and keeps it all. */
    public static final class ExhaustMemory extends HostileLibrary {
        private static final List<long[]> HOARD = new ArrayList<>();

        public ExhaustMemory() {
            super("exhaust-memory");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            while (true) {
                HOARD.add(new long[1 << 20]);
            }
        }
    }

    /** Never returns. */
    public static final class LoopForever extends HostileLibrary {
        private static volatile boolean stop;

        public LoopForever() {
            super("loop-forever");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            long spins = 0;
            while (!stop) {
                spins++;
                if ((spins & 0xFFFFF) == 0) {
                    Thread.onSpinWait();
                }
            }
            return spins;
        }
    }

    /** An exception of the hostile library's own class; its message is computed by the hostile code. */
    public static final class HostileCrash extends RuntimeException {
        @Override
        public String getMessage() {
            return "hostile code ran in the caller to compute this message";
        }
    }

    /** Crashes with an uncaught exception of its own. */
    public static final class CrashException extends HostileLibrary {
        public CrashException() {
            super("crash-exception");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            throw new HostileCrash();
        }
    }

    /** Ends the whole JVM with {@code System.exit}. */
    public static final class CrashExit extends HostileLibrary {
        public CrashExit() {
            super("crash-exit");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            System.exit(66);
            return 0;
        }
    }

    /** Ends the whole JVM with {@code System.exit} reached through reflection. */
    public static final class CrashExitReflective extends HostileLibrary {
        public CrashExitReflective() {
            super("crash-exit-reflective");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            try {
                System.class.getMethod("exit", int.class).invoke(null, 67);
            } catch (ReflectiveOperationException e) {
                throw rethrow(e);
            }
            return 0;
        }
    }

    /** Ends the whole JVM with {@code Runtime.halt} reached through a method handle. */
    public static final class CrashHaltHandle extends HostileLibrary {
        public CrashHaltHandle() {
            super("crash-halt-handle");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) {
            try {
                java.lang.invoke.MethodHandles.lookup().findVirtual(Runtime.class, "halt",
                        java.lang.invoke.MethodType.methodType(void.class, int.class)).invoke(Runtime.getRuntime(), 68);
            } catch (Throwable e) {
                throw rethrow(e);
            }
            return 0;
        }
    }
}
