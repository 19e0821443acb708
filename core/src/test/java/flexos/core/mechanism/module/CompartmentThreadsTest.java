package flexos.core.mechanism.module;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The threads a compartment starts: interrupted when it stops, and no new ones after. */
class CompartmentThreadsTest {

    @Test
    void stoppingInterruptsTheCompartmentsThreadsAndRefusesNewOnes() throws InterruptedException {
        CompartmentThreads threads = new CompartmentThreads("hostile");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread sleeper = threads.start(Thread.ofPlatform().daemon(true), () -> {
            running.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(10));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        assertTrue(threads.live().contains(sleeper));
        threads.stop("it crashed");
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the compartment's thread was not interrupted");
        sleeper.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(sleeper.isAlive());
        RefusedOperationException refused = assertThrows(RefusedOperationException.class,
                () -> threads.start(new Thread(() -> { })));
        assertTrue(refused.getMessage().contains("compartment hostile has stopped (it crashed)"), refused.getMessage());
    }
}
