package flexos.attacks.hostile.sandbox;

import flexos.attacks.api.Vault;
import flexos.attacks.hostile.HostileLibrary;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The review's forged messages (issue 12): a compartment process owns every byte of its RPC region, so while it
 * serves the image's call it writes the reply itself, one the image must not trust, and hands the image the turn.
 * The wire, as its source says ({@code SlotRegion}, {@code SharedCallSlot}, {@code RpcEndpoint}): the region
 * ({@code memfd:flexos-<compartment>-rpc} in {@code /proc/self/maps}) has a 4096-byte header, then 32 slots the
 * image calls through and 8 the child calls through; a slot is a turn word (1 the image's, 2 the child's), the
 * offset of the current message, the message area from byte 8, and 128 bytes of sleeper flags at its end. The slot
 * of the call being served is the image's slot whose turn is the child's. The forger writes its reply past the call,
 * publishes its offset, gives the turn to the image and wakes it (a shared futex on the turn word), then never
 * returns: the honest reply must not follow.
 *
 * <p>In-process there is no wire: the caller gets directly what a decoder that trusted the message would make, an
 * allocation of the size the attacker named, in the caller's own thread.
 */
public final class ForgedReplies {

    private static final int IMAGE_SLOTS = 32;
    private static final int CHILD_SLOTS = 8;
    private static final long REGION_HEADER = 4096;
    private static final long SLOT_HEADER = 8;
    private static final int IMAGE = 1;
    private static final int CHILD = 2;
    /** Past any call frame of {@code Attack.run}: a few dozen bytes. */
    private static final long REPLY_AT = 4096;
    private static final byte CALL = 1;
    private static final byte RETURN = 2;
    private static final byte FIRST_CHUNK = 4;
    private static final byte T_LIST = 18;
    private static final long NR_FUTEX = 202;
    private static final int FUTEX_WAKE = 1;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private ForgedReplies() {
    }

    /** A reply that names a list of 2^31 - 1 elements, for a method that returns a {@code long}. */
    public static final class HugeList extends HostileLibrary {
        public HugeList() {
            super("forge-reply-list");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Exception {
            if (!Neighbours.inCompartmentProcess()) {
                Object[] list = new Object[Integer.MAX_VALUE - 8];
                return list.length;
            }
            MemorySegment reply = MemorySegment.ofArray(new byte[6]);
            reply.set(ValueLayout.JAVA_BYTE, 0, RETURN);
            reply.set(ValueLayout.JAVA_BYTE, 1, T_LIST);
            reply.set(ValueLayout.JAVA_INT_UNALIGNED, 2, Integer.MAX_VALUE);
            return forge(reply);
        }
    }

    /** A reply of 2^40 bytes, announced as the first of its chunks: larger than any slot and any heap. */
    public static final class Oversized extends HostileLibrary {
        public Oversized() {
            super("oversized-reply");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Exception {
            if (!Neighbours.inCompartmentProcess()) {
                long[] message = new long[Integer.MAX_VALUE - 8];
                return message.length;
            }
            MemorySegment reply = MemorySegment.ofArray(new byte[21]);
            reply.set(ValueLayout.JAVA_BYTE, 0, FIRST_CHUNK);
            reply.set(ValueLayout.JAVA_LONG_UNALIGNED, 1, 1L << 40);
            reply.set(ValueLayout.JAVA_INT_UNALIGNED, 9, 8);
            reply.set(ValueLayout.JAVA_LONG_UNALIGNED, 13, 0);
            return forge(reply);
        }
    }

    /**
     * A call, from one of the slots the child calls through, to object 21000, which the image never handed over
     * (the review's forged ids). In-process, a call to what it was not given is a cast away: the vault's own
     * {@code reset}, which its API does not export.
     */
    public static final class UnknownObject extends HostileLibrary {
        public UnknownObject() {
            super("forge-call-id");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws Exception {
            if (!Neighbours.inCompartmentProcess()) {
                ((flexos.attacks.victim.VaultService) vault).reset();
                return 0;
            }
            MemorySegment call = MemorySegment.ofArray(new byte[17]);
            call.set(ValueLayout.JAVA_BYTE, 0, CALL);
            call.set(ValueLayout.JAVA_LONG_UNALIGNED, 1, 21_000);
            call.set(ValueLayout.JAVA_INT_UNALIGNED, 9, 0);
            call.set(ValueLayout.JAVA_INT_UNALIGNED, 13, 0);
            MemorySegment region = ownRegion();
            long slotBytes = (region.byteSize() - REGION_HEADER) / (IMAGE_SLOTS + CHILD_SLOTS);
            // The last of the child's slots: its own threads, calling out, take the first free ones.
            MemorySegment slot = region.asSlice(REGION_HEADER + (IMAGE_SLOTS + CHILD_SLOTS - 1) * slotBytes, slotBytes);
            hand(slot, call, 0);
            Thread.sleep(20_000);
            return 0;
        }
    }

    /** Writes {@code message} at {@code at} of {@code slot}'s message area, publishes it, gives the image the turn. */
    private static void hand(MemorySegment slot, MemorySegment message, long at) {
        MemorySegment.copy(message, 0, slot, SLOT_HEADER + at, message.byteSize());
        slot.set(ValueLayout.JAVA_INT, 4, (int) at);
        INT.setVolatile(slot, 0L, IMAGE);
        Libc.call(NR_FUTEX, slot.address(), FUTEX_WAKE, Integer.MAX_VALUE, 0, 0);
    }

    /** Writes {@code reply} as the answer to the call being served and gives the image the turn; never returns. */
    private static long forge(MemorySegment reply) throws IOException, InterruptedException {
        MemorySegment region = ownRegion();
        long slotBytes = (region.byteSize() - REGION_HEADER) / (IMAGE_SLOTS + CHILD_SLOTS);
        for (int i = 0; i < IMAGE_SLOTS; i++) {
            MemorySegment slot = region.asSlice(REGION_HEADER + i * slotBytes, slotBytes);
            if ((int) INT.getVolatile(slot, 0L) != CHILD) {
                continue;
            }
            hand(slot, reply, REPLY_AT);
        }
        // The image now reads the forged reply; the honest one must never overwrite it. Longer than the call timeout.
        Thread.sleep(20_000);
        return 0;
    }

    /** This compartment's RPC region, as mapped in this process. */
    private static MemorySegment ownRegion() throws IOException {
        String name = "memfd:flexos-" + Neighbours.ownCompartment() + "-rpc";
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : maps) {
            if (line.contains(name)) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                return MemorySegment.ofAddress(start).reinterpret(end - start);
            }
        }
        throw new IOException("no mapping of " + name);
    }
}
