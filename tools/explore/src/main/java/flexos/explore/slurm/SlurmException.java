package flexos.explore.slurm;

/** A Slurm command failed, or a job cannot be followed; the message says which and what it printed. */
public final class SlurmException extends Exception {

    public SlurmException(String message) {
        super(message);
    }
}
