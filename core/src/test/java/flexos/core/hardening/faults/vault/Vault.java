package flexos.core.hardening.faults.vault;

import java.lang.foreign.MemorySegment;

/** The victim API of the hardening faults: a counter that may be read, wiped, and fed memory. */
public interface Vault {

    long read();

    /** Sets the count to zero: the function hostile callers are not allowed to call. */
    void wipe();

    /** Adds every byte of {@code bytes} to the count: an API that passes memory, for asan's checks. */
    long deposit(MemorySegment bytes);
}
