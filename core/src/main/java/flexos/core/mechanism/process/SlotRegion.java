package flexos.core.mechanism.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The RPC region of one compartment process: a header page, then {@code launcherSlots} slots that threads of the
 * image call through (served by one thread of the child each), then {@code childSlots} slots that threads of the
 * child call through when they are not serving a call (served by threads of the image).
 * <pre>
 *   0   int magic
 *   64  int ready    0 while the child starts, then its pid (the futex word the launcher waits on)
 *   4096 + i * slotBytes   slot i
 * </pre>
 */
final class SlotRegion {

    static final long HEADER = 4096;
    private static final int MAGIC = 0x464C5850; // "FLXP"
    private static final long READY = 64;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment region;
    private final int launcherSlots;
    private final int childSlots;
    private final SharedCallSlot[] slots;

    SlotRegion(MemorySegment region, int launcherSlots, int childSlots, long slotBytes, WaitMode mode) {
        if (region.byteSize() < bytes(launcherSlots, childSlots, slotBytes)) {
            throw new IllegalArgumentException("region of " + region.byteSize() + " bytes is too small");
        }
        this.region = region;
        this.launcherSlots = launcherSlots;
        this.childSlots = childSlots;
        this.slots = new SharedCallSlot[launcherSlots + childSlots];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new SharedCallSlot(region.asSlice(HEADER + i * slotBytes, slotBytes), mode);
        }
    }

    /** The bytes a region of this geometry needs. */
    static long bytes(int launcherSlots, int childSlots, long slotBytes) {
        return HEADER + (launcherSlots + childSlots) * slotBytes;
    }

    /** Prepares a fresh region: every slot idle, its turn with the side that calls through it. */
    void format() {
        for (int i = 0; i < slots.length; i++) {
            slots[i].initialize(i < launcherSlots ? CallSlot.LAUNCHER : CallSlot.CHILD);
        }
        INT.setVolatile(region, 0L, MAGIC);
    }

    boolean formatted() {
        return (int) INT.getVolatile(region, 0L) == MAGIC;
    }

    /** Called by the child once it serves its slots. */
    void announceReady(long pid) {
        INT.setVolatile(region, READY, (int) pid);
        Syscalls.futexWake(region.address() + READY);
    }

    /** The child's pid once it is ready, else 0; sleeps at most {@code nanos} first. */
    int awaitReady(long nanos) {
        int ready = (int) INT.getVolatile(region, READY);
        if (ready == 0) {
            Syscalls.futexWait(region.address() + READY, 0, nanos);
            ready = (int) INT.getVolatile(region, READY);
        }
        return ready;
    }

    int launcherSlots() {
        return launcherSlots;
    }

    int childSlots() {
        return childSlots;
    }

    /** The slots the given side calls through, in index order. */
    SharedCallSlot[] slotsCalledFrom(int side) {
        return side == CallSlot.LAUNCHER
                ? java.util.Arrays.copyOfRange(slots, 0, launcherSlots)
                : java.util.Arrays.copyOfRange(slots, launcherSlots, slots.length);
    }

    void wakeAll() {
        for (SharedCallSlot slot : slots) {
            slot.wakeAll();
        }
        Syscalls.futexWake(region.address() + READY);
    }
}
