package flexos.core.component;

import java.util.List;

/**
 * The API an application library exports so that an image can start it: the analogue of {@code main}.
 * The image calls {@link #run} on its main thread and {@link #requestStop} from another thread
 * (a signal, or a test) to ask it to return.
 */
public interface Entrypoint {

    /** Runs the application until it finishes or is asked to stop; returns its exit status. */
    int run(List<String> args) throws Exception;

    /** Asks a running {@link #run} to return soon. Safe to call from any thread, and more than once. */
    void requestStop();
}
