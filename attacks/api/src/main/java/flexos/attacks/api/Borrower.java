package flexos.attacks.api;

import java.lang.foreign.MemorySegment;

/** Receives a block lent by a {@link Vault}: the block is the borrower's only for the duration of the call. */
@FunctionalInterface
public interface Borrower {

    void borrow(MemorySegment block);
}
