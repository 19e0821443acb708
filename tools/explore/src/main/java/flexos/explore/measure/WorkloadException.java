package flexos.explore.measure;

/** A workload's client failed or printed nothing usable. */
public final class WorkloadException extends Exception {

    public WorkloadException(String message) {
        super(message);
    }
}
