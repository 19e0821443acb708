package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The stack check of {@code module} gates: it says yes on a fresh stack and no near its end. */
class StackHeadroomTest {

    @Test
    void aFreshStackHasEnoughAndANearlyFullOneHasNot() {
        assumeTrue(StackHeadroom.supported(), "no stack-pointer reader on " + System.getProperty("os.arch"));
        assertTrue(StackHeadroom.enough(), "a test thread's stack is nearly empty");
        boolean[] sawRefusal = new boolean[1];
        try {
            dive(sawRefusal, 0);
        } catch (StackOverflowError expected) {
            // the dive goes on until the stack ends; what counts is what it saw on the way
        }
        assertTrue(sawRefusal[0], "near the end of the stack enough() said yes all the way down");
        assertTrue(StackHeadroom.enough(), "back at the top there is enough again");
    }

    private static void dive(boolean[] sawRefusal, int depth) {
        if (!StackHeadroom.enough()) {
            sawRefusal[0] = true;
            return;
        }
        dive(sawRefusal, depth + 1);
    }

    @Test
    void aThreadWithASmallStackNeedsOnlyHalfOfIt() throws InterruptedException {
        assumeTrue(StackHeadroom.supported(), "no stack-pointer reader on " + System.getProperty("os.arch"));
        boolean[] result = new boolean[2];
        Thread small = new Thread(null, () -> {
            result[0] = StackHeadroom.enough();
            boolean[] refused = new boolean[1];
            try {
                dive(refused, 0);
            } catch (StackOverflowError expected) {
                // as above
            }
            result[1] = refused[0];
        }, "small-stack", 256 * 1024);
        small.start();
        small.join(10_000);
        assertTrue(result[0], "a 256 KiB stack passes at its top: it needs half of it, not the default 256 KiB");
        assertTrue(result[1], "and is refused near its end");
    }
}
