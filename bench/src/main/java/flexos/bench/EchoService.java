package flexos.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The callee's implementation, used both by the image and by the no-FlexOS baseline. */
public final class EchoService implements Echo {

    @Override
    public long add(long x, long y) {
        return x + y;
    }

    @Override
    public long checksum(MemorySegment block, long length) {
        long sum = 0;
        long words = length & ~7L;
        for (long i = 0; i < words; i += 8) {
            sum += block.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return sum;
    }
}
