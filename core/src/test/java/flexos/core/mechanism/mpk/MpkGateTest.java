package flexos.core.mechanism.mpk;

import flexos.core.mechanism.mpk.cpu.PkeyCalls;
import flexos.core.mechanism.mpk.cpu.PkruRegister;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flexos.core.config.CompartmentSpec;
import flexos.core.config.SharingStrategy;
import flexos.core.mechanism.Domain;
import flexos.core.mechanism.GateSite;
import flexos.core.mechanism.module.ModuleOptions;
import flexos.core.memory.ImageMemory;
import flexos.core.metadata.SourceLocation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mpk gates on real hardware: which protection keys a thread holds inside a compartment, after it returns or
 * throws, inside a callback and a nested call, and on threads that enter from outside.
 */
@RequiresPku
class MpkGateTest {

    /** What each test compartment exports: every answer is the PKRU the code saw. */
    public interface Rights {
        int pkru();

        /** PKRU here, then the trail of {@code next}, then PKRU here again. */
        int[] trail();

        /** The PKRU that {@code listener} saw when this compartment called it. */
        int heard(Listener listener);

        /** What {@code next.heard} reports for a callback of this compartment. */
        int callBackThroughNext();

        /** Sums {@code block}, which arrives copied. */
        long sum(MemorySegment block);

        /** Sums a block of this compartment's own heap through {@code next.sum}: marshalled with this side's rights. */
        long sumOwnThroughNext(int bytes);

        void fail();

        /** The PKRU a thread started here sees. */
        int pkruOfAThreadStartedHere() throws InterruptedException;

        /** Adds 1 to the first long of the image's shared heap; returns the new value. */
        long bumpShared();
    }

    public interface Listener {
        int pkru();
    }

    static final class RightsService implements Rights {
        private final MemorySegment heap;
        private final MemorySegment shared;
        Rights next;

        RightsService(MemorySegment heap, MemorySegment shared) {
            this.heap = heap;
            this.shared = shared;
        }

        @Override public long bumpShared() {
            shared.set(ValueLayout.JAVA_LONG, 0, shared.get(ValueLayout.JAVA_LONG, 0) + 1);
            return shared.get(ValueLayout.JAVA_LONG, 0);
        }

        @Override public int pkru() {
            heap.set(ValueLayout.JAVA_LONG, 0, heap.get(ValueLayout.JAVA_LONG, 0) + 1);
            return PkruRegister.read();
        }

        @Override public int[] trail() {
            int mine = pkru();
            int[] deeper = next == null ? new int[0] : next.trail();
            int after = PkruRegister.read();
            return IntStream.concat(IntStream.concat(IntStream.of(mine), IntStream.of(deeper)), IntStream.of(after))
                    .toArray();
        }

        @Override public int heard(Listener listener) {
            pkru();
            return listener.pkru();
        }

        @Override public int callBackThroughNext() {
            return next.heard(() -> pkru());
        }

        @Override public long sum(MemorySegment block) {
            long sum = 0;
            for (long i = 0; i < block.byteSize(); i++) {
                sum += block.get(ValueLayout.JAVA_BYTE, i);
            }
            return sum;
        }

        @Override public long sumOwnThroughNext(int bytes) {
            MemorySegment own = heap.asSlice(64, bytes);
            own.fill((byte) 3);
            return next.sum(own);
        }

        @Override public void fail() {
            pkru();
            throw new IllegalStateException("failed on purpose");
        }

        @Override public int pkruOfAThreadStartedHere() throws InterruptedException {
            AtomicInteger seen = new AtomicInteger();
            Thread thread = new Thread(() -> seen.set(PkruRegister.read()));
            thread.start();
            thread.join();
            return seen.get();
        }
    }

    private final MpkMechanism mechanism = new MpkMechanism();
    private final ImageMemory memory = new ImageMemory(1 << 20);
    private final Map<String, Domain> domains = new HashMap<>();
    private final Map<String, RightsService> services = new HashMap<>();

    @AfterEach
    void close() {
        domains.values().forEach(Domain::close);
        memory.close();
    }

    private RightsService compartment(String name, long timeoutNanos) {
        CompartmentSpec spec = new CompartmentSpec(name, mechanism, false, 1 << 16,
                new SourceLocation(Path.of("mpk-test.yaml"), 1, 1), new ModuleOptions(SharingStrategy.COPY, timeoutNanos));
        memory.addPrivateHeap(name, mechanism.privateHeap("mpk-test", spec).orElseThrow());
        domains.put(name, mechanism.open(spec, memory));
        RightsService service = new RightsService(memory.privateHeap(name).segment(), memory.sharedHeap().segment());
        services.put(name, service);
        return service;
    }

    private Rights gate(String caller, String callee) {
        return domains.get(callee).gate(Rights.class, services.get(callee),
                new GateSite(Rights.class, caller, caller, callee, callee));
    }

    private Rights entrance(String compartment) {
        return domains.get(compartment).entrance(Rights.class, services.get(compartment));
    }

    private int keyOf(String compartment) {
        long base = memory.privateHeap(compartment).segment().address();
        return ProtectedHeap.at(base).orElseThrow().key();
    }

    private int rightsOf(String compartment) {
        return Pkru.compartment(keyOf(compartment));
    }

    @Test
    void theThreadThatMapsAHeapGetsNoRightsOnItsKey() {
        compartment("a", 0);
        assertEquals(PkeyCalls.PKEY_DISABLE_ACCESS, PkeyCalls.pkeyGet(keyOf("a")) & PkeyCalls.PKEY_DISABLE_ACCESS);
        assertFalse(Pkru.readable(PkruRegister.read(), keyOf("a")));
    }

    @Test
    void insideACompartmentTheThreadHoldsItsKeyAndKeyZeroOnly() {
        compartment("a", 0);
        compartment("b", 0);
        int before = PkruRegister.read();
        assertEquals(rightsOf("b"), gate("a", "b").pkru());
        assertEquals(List.of(0, keyOf("b")), Pkru.readableKeys(rightsOf("b")));
        assertEquals(before, PkruRegister.read(), "the gate gave the caller its PKRU back");
    }

    @Test
    void anExceptionGivesTheCallerItsRightsBack() {
        compartment("b", 0);
        int before = PkruRegister.read();
        assertThrows(IllegalStateException.class, () -> gate("a", "b").fail());
        assertEquals(before, PkruRegister.read());
    }

    @Test
    void nestedCallsEnterAndLeaveEachCompartmentInTurn() {
        compartment("a", 0);
        compartment("b", 0);
        compartment("c", 0);
        services.get("a").next = gate("a", "b");
        services.get("b").next = gate("b", "c");
        int a = rightsOf("a");
        int b = rightsOf("b");
        int c = rightsOf("c");
        assertArrayEquals(new int[] {a, b, c, c, b, a}, entrance("a").trail());
    }

    @Test
    void aCallbackRunsWithTheRightsOfTheCompartmentThatHandedItOver() {
        compartment("a", 0);
        compartment("b", 0);
        services.get("a").next = gate("a", "b");
        assertEquals(rightsOf("a"), entrance("a").callBackThroughNext());
    }

    @Test
    void aCallThroughATimedGateRunsOnItsWorkerWithTheSameRights() {
        compartment("a", 0);
        compartment("b", 5_000_000_000L);
        services.get("a").next = gate("a", "b");
        assertEquals(rightsOf("a"), entrance("a").callBackThroughNext());
        assertArrayEquals(new int[] {rightsOf("a"), rightsOf("b"), rightsOf("b"), rightsOf("a")}, entrance("a").trail());
    }

    @Test
    void argumentsAreMarshalledWithTheCallersRights() {
        compartment("a", 0);
        compartment("b", 0);
        services.get("a").next = gate("a", "b");
        // Reading a's heap with b's rights would stop this JVM: the copy is made before the switch.
        assertEquals(3 * 100, entrance("a").sumOwnThroughNext(100));
    }

    @Test
    void threadsStartWithNoCompartmentKeyAndInheritTheirCreatorsRights() throws InterruptedException {
        compartment("a", 0);
        AtomicInteger outside = new AtomicInteger();
        Thread thread = new Thread(() -> outside.set(PkruRegister.read()));
        thread.start();
        thread.join();
        assertEquals(List.of(0), Pkru.readableKeys(outside.get()), Pkru.describe(outside.get()));
        assertEquals(rightsOf("a"), entrance("a").pkruOfAThreadStartedHere());
    }

    @Test
    void everyCompartmentAndThreadsOutsideReachTheSharedHeap() {
        compartment("b", 0);
        compartment("c", 0);
        assertEquals(1, gate("a", "b").bumpShared());
        assertEquals(2, gate("a", "c").bumpShared());
        assertEquals(2, memory.sharedHeap().segment().get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void theKernelTagsTheHeapsPagesWithTheCompartmentsKey() throws Exception {
        compartment("a", 0);
        long base = memory.privateHeap("a").segment().address();
        String smaps = java.nio.file.Files.readString(Path.of("/proc/self/smaps"));
        String start = Long.toHexString(base) + "-";
        int at = smaps.indexOf("\n" + start);
        assertTrue(at >= 0, "no mapping starts at the heap's address " + start);
        int key = smaps.indexOf("ProtectionKey:", at);
        assertEquals(keyOf("a"), Integer.parseInt(smaps.substring(key + "ProtectionKey:".length(),
                smaps.indexOf('\n', key)).trim()));
    }
}
