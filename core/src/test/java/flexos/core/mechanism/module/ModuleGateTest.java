package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.config.CompartmentSpec;
import flexos.core.mechanism.BufferWindow;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateFault;
import flexos.core.mechanism.GateSite;
import flexos.core.config.SharingStrategy;
import flexos.core.memory.ImageMemory;
import flexos.core.metadata.SourceLocation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code module} mechanism's gates, driven directly through a domain: what crosses them by copy or by sharing,
 * callbacks, fault containment and the call timeout. (Per-compartment class loading needs the module path; the
 * attack suite exercises it.)
 */
class ModuleGateTest {

    /** An API with every kind of parameter a gate marshals. */
    public interface Store {
        long add(long a, long b);

        /** Adds 1 to every byte of {@code block}; keeps a reference to it in {@code kept}. */
        void increment(MemorySegment block);

        long address(MemorySegment block);

        void doubleAll(int[] values);

        long callBack(Listener listener, long value);

        void fail(String how);

        MemorySegment lastBlock();

        /** Writes {@code length / 2} bytes of 9 at {@code buffer[offset...]}; returns how many (a liar: twice that). */
        int take(@BufferWindow(offset = 1, length = 2, access = BufferWindow.Access.WRITE, partial = true)
                 MemorySegment buffer, long offset, int length);

        /** Sums the bytes {@code buffer[offset, offset + length)}. */
        long give(@BufferWindow(offset = 1, length = 2, access = BufferWindow.Access.READ) MemorySegment buffer,
                  long offset, int length);
    }

    public interface Listener {
        long heard(long value);
    }

    static final class StoreService implements Store {
        MemorySegment kept;

        @Override public long add(long a, long b) { return a + b; }

        @Override public void increment(MemorySegment block) {
            kept = block;
            for (long i = 0; i < block.byteSize(); i++) {
                block.set(ValueLayout.JAVA_BYTE, i, (byte) (block.get(ValueLayout.JAVA_BYTE, i) + 1));
            }
        }

        @Override public long address(MemorySegment block) { return block.address(); }

        @Override public void doubleAll(int[] values) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= 2;
            }
        }

        @Override public long callBack(Listener listener, long value) {
            lastListener.set(listener);
            return listener.heard(value);
        }

        final AtomicReference<Listener> lastListener = new AtomicReference<>();

        @Override public void fail(String how) {
            switch (how) {
                case "argument" -> throw new IllegalArgumentException("bad argument");
                case "error" -> throw new StackOverflowError();
                case "recurse" -> depth = recurse(0);
                case "sleep" -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> { }
            }
        }

        @Override public MemorySegment lastBlock() { return kept; }

        long lastWindowBytes;
        boolean sawCallersBytes;
        boolean lies;
        boolean couldWrite;

        @Override public int take(MemorySegment buffer, long offset, int length) {
            lastWindowBytes = buffer.byteSize();
            for (long i = 0; i < buffer.byteSize(); i++) {
                sawCallersBytes |= buffer.get(ValueLayout.JAVA_BYTE, i) == 1;
            }
            buffer.asSlice(offset, length / 2).fill((byte) 9);
            return lies ? 2 * length : length / 2;
        }

        @Override public long give(MemorySegment buffer, long offset, int length) {
            lastWindowBytes = buffer.byteSize();
            long sum = 0;
            for (long i = offset; i < offset + length; i++) {
                sum += buffer.get(ValueLayout.JAVA_BYTE, i);
            }
            try {
                buffer.set(ValueLayout.JAVA_BYTE, offset, (byte) 7);
                couldWrite = true;
            } catch (UnsupportedOperationException | IllegalArgumentException readOnly) {
                couldWrite = false;
            }
            return sum;
        }

        long depth;

        /** Recurses until the stack runs out, changing state on the way (as a victim's code half-way would). */
        long recurse(long level) {
            depth = level;
            return recurse(level + 1) + 1;
        }
    }

    private final ImageMemory memory = new ImageMemory(1 << 20);
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
        memory.close();
    }

    private Store gate(StoreService service, SharingStrategy sharing, long timeoutNanos) {
        ModuleMechanism mechanism = new ModuleMechanism();
        CompartmentSpec spec = new CompartmentSpec("callee", mechanism, false, 1 << 16,
                new SourceLocation(Path.of("test.yaml"), 1, 1), new ModuleOptions(sharing, timeoutNanos));
        Domain domain = mechanism.open(spec, memory);
        return domain.gate(Store.class, service, new GateSite(Store.class, "caller", "main", "store", "callee"));
    }

    @Test
    void onlyABufferWindowCrossesAndAPartialOneComesBackOnlyAsFarAsTheCalleeSaysItWrote() {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        MemorySegment buffer = arena.allocate(64);
        buffer.fill((byte) 1);

        assertEquals(16, store.take(buffer, 8, 32));
        assertEquals(32, service.lastWindowBytes, "the callee got the window, not the 64-byte buffer");
        assertFalse(service.sawCallersBytes, "a WRITE window's bytes are not copied in");
        for (int i = 0; i < 64; i++) {
            assertEquals(i >= 8 && i < 24 ? 9 : 1, buffer.get(ValueLayout.JAVA_BYTE, i),
                    "byte " + i + ": only the 16 bytes the callee says it wrote come back");
        }

        assertEquals(8, store.give(buffer, 40, 8));
        assertEquals(8, service.lastWindowBytes);
        assertFalse(service.couldWrite, "a READ window is read-only for the callee");
        assertEquals(1, buffer.get(ValueLayout.JAVA_BYTE, 40));
    }

    @Test
    void aCalleeClaimingMoreThanItsWindowFailsTheCallAndNothingComesBack() {
        StoreService service = new StoreService();
        service.lies = true;
        Store store = gate(service, SharingStrategy.COPY, 0);
        MemorySegment buffer = arena.allocate(64);
        buffer.fill((byte) 1);

        GateFault fault = assertThrows(GateFault.class, () -> store.take(buffer, 0, 16));
        assertTrue(fault.getMessage().contains("did 32 bytes of a window of 16"), fault.getMessage());
        for (int i = 0; i < 64; i++) {
            assertEquals(1, buffer.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }

    @Test
    void aSmallCallCrossesUnchanged() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 0);
        assertEquals(42, store.add(40, 2));
        assertFalse(store instanceof StoreService);
    }

    @Property(tries = 50)
    void aCopiedSegmentComesBackChangedButTheCalleeKeepsOnlyItsCopy(@ForAll @IntRange(min = 1, max = 5000) int size) {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment block = local.allocate(size);
            block.fill((byte) 7);
            store.increment(block);
            for (long i = 0; i < size; i++) {
                assertEquals(8, block.get(ValueLayout.JAVA_BYTE, i));
            }
            assertNotSame(block, service.kept);
            assertTrue(service.kept.address() != block.address(), "the callee got the caller's own memory");
            service.kept.fill((byte) 99);
            assertEquals(8, block.get(ValueLayout.JAVA_BYTE, size - 1), "the callee changed the caller's data after the call");
        }
    }

    @Test
    void theSharedStrategyPassesSharedHeapSegmentsByReferenceAndStillCopiesPrivateOnes() {
        Store store = gate(new StoreService(), SharingStrategy.SHARED, 0);
        MemorySegment shared = memory.sharedHeap().segment().asSlice(4096, 64);
        assertEquals(shared.address(), store.address(shared));
        MemorySegment own = arena.allocate(64);
        assertTrue(store.address(own) != own.address());
        Store copying = gate(new StoreService(), SharingStrategy.COPY, 0);
        assertTrue(copying.address(shared) != shared.address());
    }

    @Test
    void aReadOnlySegmentStaysReadOnlyForTheCallee() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 0);
        MemorySegment block = arena.allocate(8).asReadOnly();
        assertThrows(IllegalArgumentException.class, () -> store.increment(block));
    }

    @Test
    void arraysAreCopiedInAndBack() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 0);
        int[] values = {1, 2, 3};
        store.doubleAll(values);
        assertArrayEquals(new int[] {2, 4, 6}, values);
    }

    @Test
    void aCallbackReachesTheCallerThroughAGateOfItsOwn() {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        Listener listener = value -> value * 10;
        assertEquals(70, store.callBack(listener, 7));
        assertNotSame(listener, service.lastListener.get());
        assertEquals(30, service.lastListener.get().heard(3));
    }

    @Test
    void aCallbackThatCrashesStopsItsOwnersCompartmentAndTheCallerIsToldItsStateIsLost() {
        ModuleMechanism mechanism = new ModuleMechanism();
        Domain caller = mechanism.open(new CompartmentSpec("main", mechanism, false, 1 << 16,
                new SourceLocation(Path.of("test.yaml"), 1, 1), ModuleOptions.DEFAULT), memory);
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        Store mainsOwn = caller.gate(Store.class, new StoreService(),
                new GateSite(Store.class, "other", "elsewhere", "own", "main"));
        Listener overflowing = value -> {
            throw new StackOverflowError();
        };
        GateFault crash = assertThrows(GateFault.class, () -> store.callBack(overflowing, 1));
        assertEquals("main", crash.compartment());
        assertTrue(crash.compartmentFailed(), crash.getMessage());
        assertTrue(crash.getMessage().contains("callback Listener of compartment main crashed with "
                + "java.lang.StackOverflowError in a call from compartment callee; compartment main is stopped and "
                + "its state is lost"), crash.getMessage());
        // The owner is stopped: its exports and the callback the callee kept fault; the callee still serves.
        GateFault kept = assertThrows(GateFault.class, () -> service.lastListener.get().heard(2));
        assertTrue(kept.getMessage().contains("compartment main has failed"), kept.getMessage());
        assertThrows(GateFault.class, () -> mainsOwn.add(1, 2));
        assertEquals(3, store.add(1, 2));
    }

    @Test
    void aCallbackOfACompartmentThatIsNotAModuleOneIsReportedNotStopped() {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        GateFault crash = assertThrows(GateFault.class, () -> store.callBack(value -> {
            throw new StackOverflowError();
        }, 1));
        assertFalse(crash.compartmentFailed(), crash.getMessage());
        assertTrue(crash.getMessage().contains("(not a module compartment: not stopped)"), crash.getMessage());
        assertEquals(3, store.add(1, 2));
    }

    @Test
    void aReturnedSegmentIsACopy() {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        store.increment(arena.allocate(16));
        MemorySegment returned = store.lastBlock();
        assertTrue(returned.address() != service.kept.address());
        assertEquals(1, returned.get(ValueLayout.JAVA_BYTE, 15));
    }

    @Test
    void theApisOwnExceptionsCrossAsTheyAre() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.fail("argument"));
        assertEquals("bad argument", e.getMessage());
        assertEquals(3, store.add(1, 2), "an API exception does not stop the compartment");
    }

    @Test
    void anErrorStopsTheCompartmentAndTheCallerGetsAGateFault() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 0);
        GateFault crash = assertThrows(GateFault.class, () -> store.fail("error"));
        assertTrue(crash.compartmentFailed());
        assertEquals("callee", crash.compartment());
        assertTrue(crash.getMessage().contains("StackOverflowError"), crash.getMessage());
        GateFault later = assertThrows(GateFault.class, () -> store.add(1, 2));
        assertTrue(later.getMessage().contains("has failed"), later.getMessage());
        assertThrows(GateFault.class, () -> store.increment(arena.allocate(8)));
    }

    @Test
    void aCalleeThatRunsOutOfStackIsStoppedAndTheCallerIsToldItsStateIsLost() {
        StoreService service = new StoreService();
        Store store = gate(service, SharingStrategy.COPY, 0);
        GateFault crash = assertThrows(GateFault.class, () -> store.fail("recurse"));
        assertTrue(crash.compartmentFailed());
        assertTrue(crash.getMessage().contains("StackOverflowError"), crash.getMessage());
        assertTrue(crash.getMessage().contains("its state is lost"), crash.getMessage());
        assertTrue(service.depth > 0, "the callee's state was changed on the way down");
        // The half-updated callee is never called again.
        GateFault later = assertThrows(GateFault.class, () -> store.add(1, 2));
        assertTrue(later.getMessage().contains("ran out of stack"), later.getMessage());
    }

    @Test
    void aCallPastTheTimeoutFailsInTheCallerAndStopsTheCompartment() {
        Store store = gate(new StoreService(), SharingStrategy.COPY, 200_000_000L);
        assertEquals(5, store.add(2, 3), "a timed gate still makes ordinary calls");
        long start = System.nanoTime();
        GateFault timeout = assertThrows(GateFault.class, () -> store.fail("sleep"));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis < 3_000, "waited " + waitedMillis + " ms");
        assertTrue(timeout.getMessage().contains("timeout of 200 ms"), timeout.getMessage());
        assertThrows(GateFault.class, () -> store.add(1, 1));
    }
}
