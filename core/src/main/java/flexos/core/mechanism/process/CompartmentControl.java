package flexos.core.mechanism.process;

/**
 * What the image asks of a compartment process, through the same RPC as every gate (object 0 of the child). A
 * library is instantiated in three steps so that each import crosses as an object of its own API:
 * {@link #prepare}, {@link #provide} per import, {@link #start}.
 */
interface CompartmentControl {

    /** Object id of the control object in every compartment process. */
    long ID = 0;

    /** Loads the library class {@code libraryClass}; returns a handle for the next steps. */
    int prepare(String libraryClass, String libraryName);

    /** The gate through which the library calls {@code api}. */
    void provide(int library, String api, Object gate);

    /** Instantiates the library in this process, with its compartment's private heap and the shared heap. */
    void start(int library);

    /** Exports the library's implementation of {@code api}; returns its object id. */
    long export(int library, String api);

    /** Closes the library's instance. */
    void close(int library);
}
