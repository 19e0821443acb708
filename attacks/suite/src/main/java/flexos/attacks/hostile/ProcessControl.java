package flexos.attacks.hostile;

import flexos.attacks.api.Vault;
import java.io.IOException;

/** Processes: the attacker runs a program of the host against the image. */
public final class ProcessControl {

    private ProcessControl() {
    }

    /** Runs {@code kill -9} on the process it runs in, which under an in-process mechanism is the image. */
    public static final class KillImage extends HostileLibrary {
        public KillImage() {
            super("kill-image");
        }

        @Override
        protected long attack(Vault vault, long secretAddress) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
            // The signal is asynchronous: give it time to land before returning.
            Thread.sleep(2_000);
            return 0;
        }
    }
}
